// Mocha set-up (.mocharc "require"): the Lambda bundles the components deploy are built before any
// test runs, also when mocha is started directly rather than through `npm test`.
require("../../tools/bootstrap").ensureLambdaBundles();
