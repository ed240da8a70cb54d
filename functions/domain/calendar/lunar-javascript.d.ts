/** The small part of 6tail's lunar-javascript (CommonJS, untyped) that the projection uses. */
declare module 'lunar-javascript' {
  interface Solar {
    getYear(): number;
    getMonth(): number;
    getDay(): number;
    /** YYYY-MM-DD */
    toYmd(): string;
    getLunar(): Lunar;
  }
  interface Lunar {
    getSolar(): Solar;
    /** the solar terms around this lunar year, keyed by Chinese name (e.g. 清明) */
    getJieQiTable(): Record<string, Solar>;
  }
  const lunarJavascript: {
    Solar: { fromYmd(year: number, month: number, day: number): Solar };
    /** month may be negative for a leap month */
    Lunar: { fromYmd(lunarYear: number, lunarMonth: number, lunarDay: number): Lunar };
  };
  export = lunarJavascript;
}
