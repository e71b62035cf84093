// What a client asks before each attempt: the credentials to sign with now. A key pair is handed out
// as is; temporary credentials (assumed role, OIDC, CVM role) are fetched on first use and fetched
// again ahead of their expiry, so a run longer than a session never signs with an expired token.
// Concurrent callers share one fetch. Values live in private fields only: nothing here is enumerable,
// serialisable or shown by util.inspect.
import type { ApiClock } from "./clock";
import type { AssumeRolePlan, BasePlan, CredentialPlan, WebIdentityPlan } from "./credential-plan";
import { readWebIdentityToken } from "./credential-files";
import { CredentialsError } from "./credentials";
import { CssApiError } from "./errors";
import { fromStsAnswer, metadataCredentials, stsCall, type StsDeps, type TempCredentials } from "./sts";
import type { FetchLike } from "./transport";

/** Refresh when less than this remains, or half the lifetime for short sessions. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export interface CredentialProvider {
  /** Where the credentials come from, for messages (never a value). */
  readonly source: string;
  /** Stable across refreshes (the key pair's SecretId, else the role): keys per-account state. */
  readonly accountKey: string;
  /** True when invalidate() can bring different credentials (an expired token is then worth a retry). */
  readonly refreshable: boolean;
  get(): Promise<TempCredentials>;
  /**
   * Forget the current credentials: the next get() fetches new ones. With `rejected`, only if they
   * are still the ones the API refused (many calls refused at once cause one refresh, not many).
   */
  invalidate(rejected?: TempCredentials): void;
}

export interface ProviderDeps {
  sts: Omit<StsDeps, "region"> & { region: string };
  /** The API's clock, for expiry. */
  clock: ApiClock;
  timeoutMs: number;
  fetch: FetchLike;
}

class StaticProvider implements CredentialProvider {
  readonly refreshable = false;
  readonly accountKey: string;
  readonly #creds: TempCredentials;
  constructor(
    creds: TempCredentials,
    readonly source: string,
  ) {
    this.#creds = { ...creds };
    this.accountKey = creds.secretId;
  }
  async get(): Promise<TempCredentials> {
    return this.#creds;
  }
  invalidate(_rejected?: TempCredentials): void {}
}

class RefreshingProvider implements CredentialProvider {
  readonly refreshable = true;
  #current?: Promise<{ creds: TempCredentials; obtainedAt: number }>;
  /** The credentials #current resolved to, once it has. */
  #held?: TempCredentials;
  constructor(
    readonly source: string,
    readonly accountKey: string,
    private readonly clock: ApiClock,
    private readonly fetchNew: () => Promise<TempCredentials>,
  ) {}

  async get(): Promise<TempCredentials> {
    const pending = this.#current;
    if (pending) {
      const held = await pending.catch(() => undefined);
      if (held && this.fresh(held.creds, held.obtainedAt)) return held.creds;
      // Another caller may have started the next fetch while we waited.
      if (this.#current !== pending) return this.get();
    }
    const obtainedAt = this.clock.now();
    // While new credentials are on their way, a refusal of the old ones asks for nothing more.
    this.#held = undefined;
    const next = this.fetchNew().then((creds) => {
      if (this.#current === next) this.#held = creds;
      return { creds, obtainedAt };
    });
    this.#current = next;
    // A failed fetch is not kept: the next call tries again.
    next.catch(() => {
      if (this.#current === next) this.#current = undefined;
    });
    return (await next).creds;
  }

  private fresh(c: TempCredentials, obtainedAt: number): boolean {
    if (c.expiresAtMs === undefined) return true;
    const margin = Math.min(REFRESH_MARGIN_MS, Math.max(0, (c.expiresAtMs - obtainedAt) / 2));
    return this.clock.now() < c.expiresAtMs - margin;
  }

  invalidate(rejected?: TempCredentials): void {
    if (rejected && this.#held !== rejected) return;
    this.#current = undefined;
    this.#held = undefined;
  }
}

/**
 * A session assumed with an MFA token code: the code proves one AssumeRole, so the session cannot be
 * renewed without a new one. It is fetched once (a failed fetch is tried again, the code may still
 * be good) and used until it ends on the API's clock; after that every call fails saying so, rather
 * than sending the spent code again. Not refreshable: an expired-token answer is not retried.
 */
class OneSessionProvider implements CredentialProvider {
  readonly refreshable = false;
  #current?: Promise<TempCredentials>;
  constructor(
    readonly source: string,
    readonly accountKey: string,
    private readonly clock: ApiClock,
    private readonly fetchOnce: () => Promise<TempCredentials>,
  ) {}

  async get(): Promise<TempCredentials> {
    if (!this.#current) {
      const next = this.fetchOnce();
      this.#current = next;
      next.catch(() => {
        if (this.#current === next) this.#current = undefined;
      });
    }
    const creds = await this.#current;
    if (creds.expiresAtMs !== undefined && this.clock.now() >= creds.expiresAtMs) {
      throw new CredentialsError(
        `${this.source}: the session assumed with the MFA token code has ended, and a token code is good ` +
          "for one AssumeRole: run again with a new tokenCode (a longer sessionDuration, up to 43200 s, " +
          "makes a session last longer)",
      );
    }
    return creds;
  }

  invalidate(_rejected?: TempCredentials): void {}
}

/** An STS failure as a CredentialsError naming the source and the API's answer, never a value. */
function stsFailure(source: string, action: string, err: unknown): Error {
  if (err instanceof CssApiError) {
    return new CredentialsError(`${source}: ${action} failed: ${err.code}: ${err.detail}`);
  }
  return err instanceof CredentialsError ? err : new CredentialsError(`${source}: ${action} failed: ${String(err)}`);
}

function baseProvider(plan: BasePlan, deps: ProviderDeps): CredentialProvider {
  if (plan.kind === "keys") return new StaticProvider(plan, plan.source);
  return new RefreshingProvider(plan.source, `cvm:${plan.roleName}`, deps.clock, () =>
    metadataCredentials(plan.metadataEndpoint, plan.roleName, deps.timeoutMs, deps.fetch).catch((err: unknown) => {
      throw err instanceof CredentialsError ? new CredentialsError(`${plan.source}: ${err.message}`) : err;
    }),
  );
}

function assumeRoleProvider(plan: AssumeRolePlan, deps: ProviderDeps): CredentialProvider {
  const base = baseProvider(plan.base, deps);
  const source = `${plan.source}, with ${plan.base.source}`;
  const assume = async (): Promise<TempCredentials> => {
    const key = await base.get();
    const params: Record<string, unknown> = {
      RoleArn: plan.roleArn,
      RoleSessionName: plan.sessionName,
      DurationSeconds: plan.duration,
    };
    // The API wants the policy URL-encoded (its AssumeRole page; the Terraform provider does so too).
    if (plan.policy) params.Policy = encodeURIComponent(plan.policy);
    if (plan.externalId) params.ExternalId = plan.externalId;
    if (plan.sourceIdentity) params.SourceIdentity = plan.sourceIdentity;
    if (plan.serialNumber) params.SerialNumber = plan.serialNumber;
    if (plan.tokenCode) params.TokenCode = plan.tokenCode;
    // The MFA code is masked like a key wherever an answer or error might echo it.
    const secrets = [...secretsOf(key), ...(plan.tokenCode ? [plan.tokenCode] : [])];
    try {
      return fromStsAnswer(await stsCall(deps.sts, "AssumeRole", params, key, secrets), source);
    } catch (err) {
      // The base's own temporary key may have just expired (a CVM role): fetched anew next time.
      if (err instanceof CssApiError && err.code === "AuthFailure.TokenFailure") base.invalidate();
      throw stsFailure(source, "AssumeRole", err);
    }
  };
  return plan.tokenCode
    ? new OneSessionProvider(source, `role:${plan.roleArn}`, deps.clock, assume)
    : new RefreshingProvider(source, `role:${plan.roleArn}`, deps.clock, assume);
}

function webIdentityProvider(plan: WebIdentityPlan, deps: ProviderDeps): CredentialProvider {
  return new RefreshingProvider(plan.source, `role:${plan.roleArn}`, deps.clock, async () => {
    // Read at every exchange: a projected token file is rotated by its issuer while we run.
    const token = readWebIdentityToken(plan);
    const params = {
      ProviderId: plan.providerId,
      WebIdentityToken: token,
      RoleArn: plan.roleArn,
      RoleSessionName: plan.sessionName,
      DurationSeconds: plan.duration,
    };
    const sts = plan.region ? { ...deps.sts, region: plan.region } : deps.sts;
    try {
      return fromStsAnswer(await stsCall(sts, "AssumeRoleWithWebIdentity", params, undefined, [token]), plan.source);
    } catch (err) {
      throw stsFailure(plan.source, "AssumeRoleWithWebIdentity", err);
    }
  });
}

export function secretsOf(c: TempCredentials | undefined): string[] {
  return c ? [c.secretKey, c.token].filter((s): s is string => !!s) : [];
}

export function credentialProvider(plan: CredentialPlan, deps: ProviderDeps): CredentialProvider {
  switch (plan.kind) {
    case "keys":
    case "cvm":
      return baseProvider(plan, deps);
    case "assumeRole":
      return assumeRoleProvider(plan, deps);
    case "webIdentity":
      return webIdentityProvider(plan, deps);
  }
}

/** STS GetCallerIdentity with the given credentials: the account (main account UIN) they act in. */
export async function callerAccount(creds: TempCredentials, deps: ProviderDeps, source: string): Promise<string> {
  try {
    const r = await stsCall(deps.sts, "GetCallerIdentity", {}, creds, secretsOf(creds));
    if (typeof r.AccountId !== "string" || r.AccountId === "") {
      throw new CredentialsError("the answer has no AccountId");
    }
    return r.AccountId;
  } catch (err) {
    throw stsFailure(`${source}`, "GetCallerIdentity (for tencentcloud:allowedAccountIds)", err);
  }
}

/**
 * The account guard (allowedAccountIds): before the first API call, the account is read once and
 * compared. A refusal stays the answer; a failure that says nothing about the account is asked again.
 */
export function accountGuard(allowed: string[], creds: CredentialProvider, deps: ProviderDeps): () => Promise<void> {
  let checked: Promise<void> | undefined;
  return () => {
    checked ??= (async () => {
      let account: string;
      try {
        account = await callerAccount(await creds.get(), deps, creds.source);
      } catch (err) {
        checked = undefined;
        throw err;
      }
      if (!allowed.includes(account)) {
        throw new CredentialsError(
          `the credentials from ${creds.source} act in account ${account}, which is not in ` +
            `the allowedAccountIds setting (${allowed.join(", ")}); nothing was sent to the API`,
        );
      }
    })();
    return checked;
  };
}
