const config = require("config");
const express = require("express");
const app = express();
const port: number = config.get("port");
app.listen(port, () => console.log("listening on", port));
