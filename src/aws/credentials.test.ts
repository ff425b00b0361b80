import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_REGION, defaultCredentials, resolveRegion } from "./credentials.js";

describe("resolveRegion and defaultCredentials", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "mfawatch-aws-"));
    await writeFile(
      join(dir, "config"),
      "[default]\nregion = ap-south-1\n\n[profile audit]\nregion = eu-north-1\n",
    );
    await writeFile(
      join(dir, "credentials"),
      "[audit]\naws_access_key_id = AKIAAUDITEXAMPLE0001\naws_secret_access_key = auditsecret\n",
    );
    vi.stubEnv("AWS_CONFIG_FILE", join(dir, "config"));
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", join(dir, "credentials"));
    vi.stubEnv("AWS_REGION", undefined);
    vi.stubEnv("AWS_DEFAULT_REGION", undefined);
    vi.stubEnv("AWS_PROFILE", undefined);
    vi.stubEnv("AWS_ACCESS_KEY_ID", undefined);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", undefined);
    vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
  });
  afterEach(() => vi.unstubAllEnvs());

  it("prefers --region, then AWS_REGION, then the profile's region", async () => {
    vi.stubEnv("AWS_REGION", "us-west-2");
    expect(await resolveRegion("eu-west-1")).toBe("eu-west-1");
    expect(await resolveRegion(undefined, "audit")).toBe("us-west-2");
    vi.stubEnv("AWS_REGION", undefined);
    expect(await resolveRegion(undefined, "audit")).toBe("eu-north-1");
    expect(await resolveRegion()).toBe("ap-south-1");
  });

  it("falls back to us-east-1 when nothing names a region", async () => {
    vi.stubEnv("AWS_CONFIG_FILE", join(dir, "absent"));
    expect(await resolveRegion()).toBe(DEFAULT_REGION);
  });

  it("reads the profile's credentials through the default chain", async () => {
    const credentials = await defaultCredentials("audit")();
    expect(credentials.accessKeyId).toBe("AKIAAUDITEXAMPLE0001");
    await expect(defaultCredentials("missing")()).rejects.toMatchObject({ name: "CredentialsProviderError" });
  });
});
