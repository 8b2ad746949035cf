import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// https://vite.dev/config/
export default defineConfig(({ mode }) => {
  return {
    plugins: [vue()],
    resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
    build: {
      // Django serves the bundle from app/static/spa
      outDir: fileURLToPath(new URL('../app/static/spa', import.meta.url)),
      emptyOutDir: true,
    },
  }
})
