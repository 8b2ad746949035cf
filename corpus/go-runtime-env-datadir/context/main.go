package main

import (
	"os"
	"path/filepath"
)

func getEnvOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func main() {
	dst := filepath.Join(getEnvOr("BASE_DIR", "."), getEnvOr("UPLOADS_DIR", "uploads"), "upload.png")
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		panic(err)
	}
	_ = os.WriteFile(dst, []byte("x"), 0o640)
}
