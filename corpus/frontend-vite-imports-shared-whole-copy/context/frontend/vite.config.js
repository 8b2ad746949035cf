import { defineConfig } from 'vite'
import { brand } from '../shared/theme.js'

export default defineConfig({
  define: { __BRAND__: JSON.stringify(brand) },
  build: { outDir: '../static/dist', emptyOutDir: true },
})
