export default { build: { outDir: '../static/spa' } }
