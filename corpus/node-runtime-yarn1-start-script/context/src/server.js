require("koa")
