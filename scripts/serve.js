#!/usr/bin/env node
// Starts the production build. Defaults suited to spanlab; every one can be overridden by the environment.
process.env.PORT ||= '3000';
// Imports may be up to 50 MB; routes enforce their own, smaller limits.
process.env.BODY_SIZE_LIMIT ||= String(60 * 1024 * 1024);
const host = process.env.HOST || '0.0.0.0';
process.env.HOST = host;
console.log(`spanlab: starting on http://${host === '0.0.0.0' ? 'localhost' : host}:${process.env.PORT}`);
await import('../build/index.js');
