'use strict'

// The demo API's CORS policy (examples/server.js): one options object for the
// app, `rustCors(require('./cors-options'))`, and for its nginx export,
// `npx rust-cors nginx examples/cors-options.js --prefix api`.
module.exports = {
  origin: ['http://localhost:5173', 'https://*.example.com'],
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowedHeaders: ['Content-Type', 'Authorization'],
  exposedHeaders: ['X-Total-Count'],
  credentials: true,
  maxAge: 600
}
