export * from './apiKeyCodec';
