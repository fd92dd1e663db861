export { ProductDocs } from './ProductDocs';
export { useProductSummary } from './hooks';
