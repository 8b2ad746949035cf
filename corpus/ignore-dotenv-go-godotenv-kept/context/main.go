package main

import (
	"log"
	"os"

	"github.com/joho/godotenv"
)

func main() {
	if err := godotenv.Load(".env.production"); err != nil {
		log.Fatal(err)
	}
	log.Println(os.Getenv("GREETING"))
}
