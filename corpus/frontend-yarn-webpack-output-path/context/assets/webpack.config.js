const path = require('path');

const outputDir = path.resolve(__dirname, '..', 'web', 'static', 'build');

module.exports = {
  entry: './src/index.js',
  output: {
    filename: 'bundle.[contenthash].js',
    path: outputDir,
  },
};
