import type lunarJavascript = require('lunar-javascript');

/** lunar-javascript, required on first call (see lunar-loader.cjs). */
export declare function loadLunar(): typeof lunarJavascript;
