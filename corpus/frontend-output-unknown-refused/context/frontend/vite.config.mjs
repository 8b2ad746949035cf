import { defineConfig } from 'vite'

export default defineConfig({
  build: { outDir: process.env.FRONTEND_OUT_DIR || 'dist' },
})
