export default { build: { outDir: 'dist/client', ssrManifest: true } }
