import { durationSeconds } from "../../lib/duration";

describe("durationSeconds", () => {
  it.each([
    ["30s", 30],
    ["1m", 60],
    ["1m30s", 90],
    ["2h", 7200],
    ["500ms", 0.5],
  ])("%s is %d seconds", (duration, seconds) => {
    expect(durationSeconds(duration)).toBe(seconds);
  });
  it("is NaN for something that is not a duration", () => {
    expect(durationSeconds("soon")).toBeNaN();
  });
});
