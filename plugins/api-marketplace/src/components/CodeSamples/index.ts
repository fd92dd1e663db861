export { CodeSamplesPanel } from './CodeSamplesPanel';
