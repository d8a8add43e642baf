export * from './error-codes.js';
export * from './dbfork-error.js';
