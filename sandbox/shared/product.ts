/**
 * The sandbox's one door into the product's shared plumbing (logging, errors).
 * The sandbox may import the product (the demo runs it); the product never imports the
 * sandbox — a lint rule on src/ enforces that direction.
 */
export { createLogger, createSilentLogger, type Logger } from '../../src/shared/logger.js';
export { AppError, isAppError } from '../../src/shared/errors.js';
