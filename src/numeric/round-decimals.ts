/**
 * `x` rounded to `places` decimal places, halves towards +Infinity
 * (`Math.round`), e.g. money to the cent with 2. The scaled value is rounded
 * in binary, so a decimal half that is not exactly representable may go
 * either way: roundDecimals(1.005, 2) is 1 (1.005 is 1.00499999999999989...).
 *
 * @param x any number.
 * @param places decimal places, 0 to 15.
 * @example roundDecimals(12.3456, 2) // 12.35
 * @example roundDecimals(2.5, 0) // 3
 */
export function roundDecimals(x: number, places: number): number {
  const scale = 10 ** places;
  return Math.round(x * scale) / scale;
}
