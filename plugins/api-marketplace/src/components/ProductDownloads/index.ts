export { ProductDownloads } from './ProductDownloads';
