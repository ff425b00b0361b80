import accessKeyConsoleUser from "./access-key-console-user/check.js";
import accessKeyMultipleActive from "./access-key-multiple-active/check.js";
import accessKeyRotation from "./access-key-rotation/check.js";
import accessKeySensitiveActions from "./access-key-sensitive-actions/check.js";
import accessKeyUnused from "./access-key-unused/check.js";
import adminWithoutMfa from "./admin-without-mfa/check.js";
import configMfaRules from "./config-mfa-rules/check.js";
import consoleLoginWithoutMfa from "./console-login-without-mfa/check.js";
import identityCenterMfa from "./identity-center-mfa/check.js";
import longLivedKeys from "./long-lived-keys/check.js";
import mfaDeviceRemoved from "./mfa-device-removed/check.js";
import passwordPolicy from "./password-policy/check.js";
import roleAssumeWithoutMfa from "./role-assume-without-mfa/check.js";
import rootAccessKeys from "./root-access-keys/check.js";
import rootMfaBackupDevice from "./root-mfa-backup-device/check.js";
import rootMfaEnabled from "./root-mfa-enabled/check.js";
import rootMfaPhishingResistant from "./root-mfa-phishing-resistant/check.js";
import rootRecentUse from "./root-recent-use/check.js";
import type { AnyCheck } from "./types.js";
import userConsoleMfa from "./user-console-mfa/check.js";
import userMfaEnforced from "./user-mfa-enforced/check.js";
import userMfaNeverSetUp from "./user-mfa-never-set-up/check.js";
import userMfaPhishingResistant from "./user-mfa-phishing-resistant/check.js";
import userPasswordUnused from "./user-password-unused/check.js";

/** Every check mfawatch runs, in report order. A test keeps this list and src/checks/ in step. */
export const checks: AnyCheck[] = [
  rootMfaEnabled,
  rootMfaPhishingResistant,
  rootMfaBackupDevice,
  rootAccessKeys,
  rootRecentUse,
  userConsoleMfa,
  userMfaPhishingResistant,
  userMfaNeverSetUp,
  userPasswordUnused,
  userMfaEnforced,
  adminWithoutMfa,
  accessKeyRotation,
  accessKeyUnused,
  accessKeyMultipleActive,
  accessKeyConsoleUser,
  longLivedKeys,
  accessKeySensitiveActions,
  roleAssumeWithoutMfa,
  identityCenterMfa,
  configMfaRules,
  consoleLoginWithoutMfa,
  mfaDeviceRemoved,
  passwordPolicy,
];
