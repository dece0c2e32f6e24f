// npm run lint – ESLint with the Next.js (core web vitals), typescript-eslint and react-hooks rules; Prettier owns
// formatting (eslint-config-prettier turns off the rules that would fight it).
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier";

/** Which folders may import which (docs/architecture.md): the client must not know the sandbox. */
const boundaries = [
  {
    files: ["lib/calcom/**", "lib/webhooks/**"],
    ignores: ["**/*.test.ts", "**/*test-helpers.ts"], // tests drive the sandbox over HTTP
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/calcom-sandbox/*", "**/calcom-sandbox/*"],
              message: "The Cal.com client and the webhook receiver must not depend on the sandbox.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/db/*", "@/drizzle/*"],
              allowTypeImports: true,
              message: "Components are client-side: take data through lib/client hooks.",
            },
          ],
        },
      ],
    },
  },
];

export default [
  {
    ignores: [
      ".next*/**",
      "node_modules/**",
      ".data/**",
      "test-results*/**",
      "playwright-report/**",
      "drizzle/meta/**",
      "bench/**",
      "next-env.d.ts",
    ],
  },
  ...nextVitals,
  ...nextTs,
  prettier,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/consistent-type-definitions": ["error", "type"],
      "@typescript-eslint/no-explicit-any": "error",
      "import/no-anonymous-default-export": "off",
    },
  },
  ...boundaries,
];
