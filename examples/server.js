'use strict'

// A small Express API behind rust-cors: `npm start`, then try the preflight
//   curl -X OPTIONS http://127.0.0.1:3000/data -H "Origin: http://localhost:5173" \
//     -H "Access-Control-Request-Method: POST" -H "Access-Control-Request-Headers: Content-Type" -v

const express = require('express')
const rustCors = require('..')

const app = express()
app.use(rustCors({
  origin: ['http://localhost:5173', 'https://*.example.com'],
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowedHeaders: ['Content-Type', 'Authorization'],
  exposedHeaders: ['X-Total-Count'],
  credentials: true,
  maxAge: 600
}))
app.use(express.json())

const items = [{ id: 1, name: 'first' }]

app.get('/data', (req, res) => {
  res.set('X-Total-Count', String(items.length)).json(items)
})

app.post('/data', (req, res) => {
  const item = { id: items.length + 1, name: String((req.body && req.body.name) || 'unnamed') }
  items.push(item)
  res.status(201).json(item)
})

const port = Number(process.env.PORT) || 3000
const host = process.env.HOST || '127.0.0.1'
const server = app.listen(port, host, (err) => {
  if (err) {
    console.error(`could not listen on ${host}:${port}: ${err.message} (set PORT to use another port)`)
    process.exit(1)
  }
  console.log(`rust-cors demo API on http://${host}:${server.address().port}/data`)
})

module.exports = server
