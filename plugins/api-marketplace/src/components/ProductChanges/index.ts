export { ProductChanges } from './ProductChanges';
