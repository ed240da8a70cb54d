'use strict';
/**
 * lunar-javascript (~320 KB), loaded on first use: only a year without official holiday data
 * needs the projection (projection.ts). A synchronous require kept in this CommonJS file so
 * the calendar stays synchronous; the Lambda bundles keep the package external and ship it
 * next to the bundle (infra/constructs/lambda.ts), so a cold start never parses it.
 */
let lunar;
exports.loadLunar = function loadLunar() {
  lunar ??= require('lunar-javascript');
  return lunar;
};
