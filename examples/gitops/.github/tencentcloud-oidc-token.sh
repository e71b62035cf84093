#!/usr/bin/env bash
# Writes a fresh GitHub Actions OIDC token (the job needs `permissions: id-token: write`) to
# $TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE, where the provider and css-pull-tasks read it
# for STS AssumeRoleWithWebIdentity. Run it before each step that calls Tencent Cloud: the token
# is short-lived, the temporary credentials it buys last the session (7200 s by default).
set -euo pipefail
: "${ACTIONS_ID_TOKEN_REQUEST_URL:?the job needs permissions: id-token: write}"
: "${TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE:?set it in the workflow env}"
umask 077
curl -sSf -H "Authorization: bearer ${ACTIONS_ID_TOKEN_REQUEST_TOKEN}" \
  "${ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${TENCENTCLOUD_OIDC_AUDIENCE:?set the audience}" \
  | jq -r .value > "${TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE}"
