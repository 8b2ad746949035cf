require('dotenv').config();
const http = require('http');
http.createServer((req, res) => res.end(process.env.API_TOKEN ? 'ok' : 'no token')).listen(process.env.PORT);
