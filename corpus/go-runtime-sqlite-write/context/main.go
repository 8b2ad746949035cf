package main

import (
	"database/sql"
	"os"
)

const dbPath = "/var/lib/app/app.db"

func main() {
	// a pure-Go sqlite driver registers "sqlite" (modernc.org/sqlite); imported by the real program
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(5000)")
	if err != nil {
		os.Exit(1)
	}
	defer db.Close()
	m, _ := sql.Open("sqlite", ":memory:")
	_ = m
}
