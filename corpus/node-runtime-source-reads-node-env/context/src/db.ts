import { Pool } from "pg";
// the test database unless the image says production
export const pool = new Pool({ database: process.env.NODE_ENV === "production" ? "orders" : "orders_dev" });
