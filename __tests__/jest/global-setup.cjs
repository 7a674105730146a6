// jest globalSetup: see temp-dir.cjs.
module.exports = require("./temp-dir.cjs").setup;
