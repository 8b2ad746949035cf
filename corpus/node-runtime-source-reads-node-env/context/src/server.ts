import express from "express";
import { pool } from "./db";
const app = express();
app.get("/orders", async (_req, res) => res.json((await pool.query("select * from orders")).rows));
app.listen(8080);
