import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// jsdom rendering is slow on a loaded 2-core CI machine. The package's jest
// `testTimeout` is ignored when the repo runs every project at once, so the
// budgets are set here, where they apply either way.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 10_000 });
