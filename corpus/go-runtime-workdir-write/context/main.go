package main

import (
	"encoding/gob"
	"os"
)

const FILE_NAME = "records.bin"

func main() {
	file, err := os.Create(FILE_NAME)
	if err != nil {
		panic(err)
	}
	defer file.Close()
	_ = gob.NewEncoder(file).Encode([]int{1, 2, 3})
}
