export { ProductDocs } from './ProductDocs';
