const path = require('path')
const { defineConfig } = require('@vue/cli-service')

module.exports = defineConfig({
  transpileDependencies: true,
  publicPath: '/static/client/',
  outputDir: path.resolve(__dirname, '../site/static/client'),
})
