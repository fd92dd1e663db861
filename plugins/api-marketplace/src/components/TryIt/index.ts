export { TryItConsole } from './TryItConsole';
