import fs from 'node:fs'
import express from 'express'

const app = express()
const template = fs.readFileSync(new URL('./dist/client/index.html', import.meta.url), 'utf-8')
app.get('*', (req, res) => res.send(template))
app.listen(3000)
