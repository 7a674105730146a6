/** Providers for the e2e: from local mirrors only, each with how the lock file vouches for it. */

import { copyLockFile, resolutionLine, resolveProviders } from "../../../e2e/lib/providers";
import type { LockedProvider } from "../../../lib/provider-lock";
import type { PackageLookup } from "../../../scripts/lib/validate";

const AWS = "registry.terraform.io/hashicorp/aws";
const K8S = "registry.terraform.io/hashicorp/kubernetes";
const HELM = "registry.terraform.io/hashicorp/helm";
const lock: LockedProvider[] = [
  { address: AWS, version: "6.25.0", hashes: ["h1:official-aws"] },
  { address: K8S, version: "2.38.0", hashes: ["h1:official-k8s"] },
  { address: HELM, version: "3.1.1", hashes: ["h1:official-helm"] },
];
const mirror: Record<string, string> = {
  [`${AWS} 5.100.0`]: "h1:image-aws",
  [`${K8S} 2.38.0`]: "h1:local-build",
};
const lookup = (address: string, version: string): PackageLookup =>
  mirror[`${address} ${version}`]
    ? { kind: "found", from: "/mirror", checksum: mirror[`${address} ${version}`] }
    : { kind: "missing", reason: `${address} ${version}` };

describe("resolveProviders", () => {
  const required = [
    { name: "aws", address: AWS, version: "6.25.0" },
    { name: "kubernetes", address: K8S, version: "2.38.0" },
    { name: "helm", address: HELM, version: "3.1.1" },
  ];
  const resolved = resolveProviders(required, lock, lookup, "/mirror");

  it("stands aws 5.100.0 in for the pinned 6.x, pins local builds by their own checksum, and names what is missing", () => {
    expect(resolved.map((r) => r.use?.check ?? "missing")).toEqual(["override", "relaxed", "missing"]);
    expect(resolved[0].use).toMatchObject({ version: "5.100.0", pinned: "6.25.0" });
    expect(resolved[2].missing).toMatch(
      /hashicorp\/helm 3.1.1 is in no local mirror \(searched \/mirror\); nothing is downloaded/,
    );
    expect(resolutionLine(resolved[0])).toMatch(/stands in for the pinned 6.25.0/);
    expect(resolutionLine(resolved[2])).toMatch(/MISSING/);
  });

  it("writes a copy's lock file pinning exactly the packages the run uses", () => {
    const text = copyLockFile(required.slice(0, 2), resolved, lock);
    expect(text).toContain(`provider "${AWS}" {\n  version     = "5.100.0"`);
    expect(text).toContain('"h1:image-aws"');
    expect(text).toContain('"h1:local-build"');
    expect(text).not.toContain("h1:official");
  });
});
