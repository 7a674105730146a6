import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  DefaultTokenResolver,
  Fn,
  Lazy,
  StringConcat,
  TerraformStack,
  Testing,
  Token,
  Tokenization,
} from "cdktf";
import { isSettled, resolveUnsettled } from "../../../lib/cdktf-internals/settled";

/** A stack with a data source whose attributes are references (tokens). */
function scope() {
  const stack = new TerraformStack(Testing.app(), "settled");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  return { stack, region: new DataAwsRegion(stack, "region") };
}

/** What cdktf's own resolver makes of `value`. */
function cdktfResolve(stack: TerraformStack, value: unknown): unknown {
  return Tokenization.resolve(value, {
    scope: stack,
    preparing: false,
    resolver: new DefaultTokenResolver(new StringConcat()),
  });
}

describe("isSettled", () => {
  it("holds for plain data, including Terraform's own ${...} references and e-notation that is no token", () => {
    expect(
      isSettled({
        name: "eksmon-dev",
        arn: "${aws_iam_role.irsa_role_0A1B.arn}",
        tags: { "cost-center": "platform" },
        ports: [443, 9090],
        id: "ws-3f9c2a7e-1b4d", // "7e-1" is read as a number by the resolver, and is not a number token
        enabled: true,
        nothing: null,
        nested: [{ a: 1.5e3 }],
      }),
    ).toBe(true);
  });

  it.each([
    ["a string token", () => Lazy.stringValue({ produce: () => "x" })],
    ["a string token inside text", () => `prefix-${Lazy.stringValue({ produce: () => "x" })}`],
    ["a number token", () => Lazy.numberValue({ produce: () => 1 })],
    ["a number token written into text", () => `port ${Lazy.numberValue({ produce: () => 1 })}`],
    ["a list token", () => Lazy.listValue({ produce: () => ["x"] })],
    ["a number-list token", () => Token.asNumberList(Lazy.anyValue({ produce: () => [1] }))],
    ["an object token", () => ({ value: Lazy.anyValue({ produce: () => ({}) }) })],
    ["a map token key", () => ({ [Token.asString(Lazy.anyValue({ produce: () => ({}) }))]: "x" })],
    ["an undefined value the resolver drops", () => ({ a: undefined })],
    ["an undefined array element the resolver drops", () => [1, undefined]],
    ["a function", () => ({ f: () => 1 })],
    ["an instance of a class", () => new Date(0)],
  ])("does not hold for %s", (_what, make) => {
    scope();
    expect(isSettled(make())).toBe(false);
  });
});

describe("resolveUnsettled", () => {
  it("returns what cdktf's resolver returns for a document mixing plain data and tokens", () => {
    const { stack, region } = scope();
    const lazyList = Lazy.listValue({ produce: () => ["a", "b"] });
    const document = {
      plain: { keep: "me", references: "${aws_vpc.main.id}", list: [1, 2, 3] },
      reference: region.name,
      interpolated: `arn:aws:s3:::${region.name}-bucket`,
      expression: Fn.join(",", [region.name, region.description]),
      escaped: `\${upper(${region.name})}`,
      number: Token.asNumber(Lazy.numberValue({ produce: () => 42 })),
      numberInText: `${Lazy.numberValue({ produce: () => 7 })} days`,
      list: lazyList,
      listOfObjects: [{ name: region.name }, { name: "plain" }],
      dropped: undefined,
      droppedByToken: Lazy.anyValue({ produce: () => undefined }),
      object: Lazy.anyValue({ produce: () => ({ from: region.endpoint }) }),
    };
    const resolved = resolveUnsettled(stack, document);
    // Strict: a key left with an undefined value would delete its namesake when cdktf merges documents.
    expect(resolved).toStrictEqual(cdktfResolve(stack, document));
    expect(JSON.stringify(resolved)).toBe(JSON.stringify(cdktfResolve(stack, document)));
    expect(Object.keys(resolved as object)).not.toContain("dropped");
  });

  it("drops an undefined value where nothing else changes, as the resolver does", () => {
    const { stack } = scope();
    // toMetadata() of a resource without overrides: { overrides: undefined, ... }
    const metadata = { overrides: undefined, path: "stack/resource" };
    expect(resolveUnsettled(stack, metadata)).toStrictEqual(cdktfResolve(stack, metadata));
    expect(resolveUnsettled(stack, metadata)).toStrictEqual({ path: "stack/resource" });
  });

  it("keeps a settled document as it is, without copying it", () => {
    const { stack } = scope();
    const document = { resource: { a: { name: "x", ports: [1, 2] } } };
    expect(resolveUnsettled(stack, document)).toBe(document);
  });

  it("reports an unresolvable value with the path cdktf's resolver reports", () => {
    const { stack } = scope();
    const document = { resource: { role: { policy: () => "not a value" } } };
    expect(() => cdktfResolve(stack, document)).toThrow(/resource\/role\/policy/);
    expect(() => resolveUnsettled(stack, document)).toThrow(/resource\/role\/policy/);
  });
});
