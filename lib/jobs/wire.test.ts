import { pack, unpack, toWire, fromWire } from "./wire";

describe("wire format", () => {
  it("gives back typed arrays with their exact bytes, non-finite numbers and nested values", () => {
    const f64 = Float64Array.of(Math.PI, -0, Infinity, -Infinity, NaN, 1e-310, Number.MAX_VALUE);
    const f32 = Float32Array.of(0.1, -2.5, 3.4e38);
    const sub = new Float64Array([9, 8, 7, 6]).subarray(1, 3); // a view with an offset
    const v = { a: f64, b: [f32, Uint8Array.of(0, 1, 255)], c: { n: Infinity, m: -Infinity, z: NaN, s: "x", t: true, u: null }, i: Int32Array.of(-1, 2 ** 31 - 1), sub, blocks: [[0, 3], [3, 1]] };
    const back = unpack<typeof v>(pack(v));
    expect(back.a).toBeInstanceOf(Float64Array);
    expect(Buffer.from(back.a.buffer).equals(Buffer.from(f64.buffer))).toBe(true); // bit-identical, NaN and -0 included
    expect(Object.is(back.a[1], -0)).toBe(true);
    expect(back.b[0]).toBeInstanceOf(Float32Array);
    expect(Array.from(back.b[0] as Float32Array)).toEqual(Array.from(f32));
    expect(Array.from(back.b[1] as Uint8Array)).toEqual([0, 1, 255]);
    expect(back.c.n).toBe(Infinity);
    expect(back.c.m).toBe(-Infinity);
    expect(back.c.z).toBeNaN();
    expect(back.c).toMatchObject({ s: "x", t: true, u: null });
    expect(Array.from(back.i)).toEqual([-1, 2 ** 31 - 1]);
    expect(Array.from(back.sub)).toEqual([8, 7]);
    expect(back.blocks).toEqual([[0, 3], [3, 1]]);
  });

  it("plain JSON would lose what the wire keeps (the reason it exists)", () => {
    expect(JSON.parse(JSON.stringify({ x: Infinity }))).toEqual({ x: null });
    expect(fromWire<{ x: number }>(JSON.parse(JSON.stringify(toWire({ x: Infinity })))).x).toBe(Infinity);
  });

  it("refuses an unknown typed array name", () => {
    expect(() => unpack('{"$t":"BigInt64Array","b":""}')).toThrow(/unknown typed array BigInt64Array/);
  });
});
