//! The declarative rule table: one row per token format, interpreted by [`super::matcher`].
//!
//! A row's `spec` is a space-separated list of parts:
//!
//! - `'lit` a literal; `'a|b|c` alternatives (compared exactly, or ASCII case-insensitively
//!   when the row says `ci`). The first literal is the rule's anchor unless another is marked
//!   `^lit`: the keyword automaton finds the anchor, parts before it are matched backwards from
//!   there and parts after it forwards.
//! - `X12` or `X10-40` a run of characters of class `X` (table below), greedy, of that length.
//! - `|` the finding starts here (what comes before is context, such as `AccountKey=`).
//!
//! A row with `context` keywords is a keyword-context rule instead: one of the keywords, then
//! an assignment (`key = `, `"key": "`, `KEY=`), then the value `spec` (no anchor needed).
//! Formats come from gitleaks' default configuration (MIT) and the providers' documentation.

/// Character classes of runs, by their letter in a spec.
pub(crate) const CLASSES: &[(u8, &str)] = &[
    (b'A', "A-Za-z0-9"),
    (b'L', "a-z0-9"),
    (b'U', "A-Z0-9"),
    (b'l', "a-z"),
    (b'a', "A-Za-z"),
    (b'h', "0-9a-f"),
    (b'H', "0-9A-F"),
    (b'x', "0-9a-fA-F"),
    (b'd', "0-9"),
    (b'B', "A-Z2-7"),
    (b'b', "a-z2-7"),
    (b'w', "A-Za-z0-9_"),
    (b'k', "A-Za-z0-9_-"),
    (b'n', "A-Za-z0-9-"),
    (b'K', "A-Za-z0-9_=-"),
    (b's', "A-Za-z0-9+/"),
    (b'e', "A-Za-z0-9+/="),
    (b'E', "A-Za-z0-9+/=_-"),
    (b't', "A-Za-z0-9_.=-"),
    (b'g', "A-Za-z0-9_~."),
    (b'G', "A-Za-z0-9_~.-"),
    (b'P', "A-Za-z0-9%"),
    (b'C', "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"),
];

/// A validator run on a token that matched its format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// Nothing more.
    None,
    /// The last 6 characters are the base62 CRC-32 of the 30 before them (GitHub, npm).
    Crc32Base62,
    /// AWS's documentation keys end in `EXAMPLE`; those are not reported.
    NotExample,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    pub id: &'static str,
    pub kind: &'static str,
    pub provider: &'static str,
    pub spec: &'static str,
    /// Keyword-context rule: one of these (case-insensitive) must precede an assignment.
    pub context: &'static [&'static str],
    pub description: &'static str,
    /// Literals compare ASCII case-insensitively.
    pub ci: bool,
    pub check: Check,
    /// Minimum Shannon entropy (bits per character) of the whole token, 0 for none.
    pub min_entropy: f32,
    pub score: f32,
}

macro_rules! p {
    ($id:literal, $kind:literal, $provider:literal, $spec:literal, $description:literal) => {
        Rule {
            id: $id,
            kind: $kind,
            provider: $provider,
            spec: $spec,
            context: &[],
            description: $description,
            ci: false,
            check: Check::None,
            min_entropy: 0.0,
            score: 0.9,
        }
    };
}

macro_rules! c {
    ($id:literal, $kind:literal, $provider:literal, [$($keyword:literal),+], $spec:literal, $description:literal) => {
        Rule {
            id: $id,
            kind: $kind,
            provider: $provider,
            spec: $spec,
            context: &[$($keyword),+],
            description: $description,
            ci: false,
            check: Check::None,
            min_entropy: 0.0,
            score: 0.75,
        }
    };
}

/// Every table rule. Ids are kebab-case and unique (tested).
pub(crate) static RULES: &[Rule] = &[
    // ---- Cloud providers -------------------------------------------------------------------
    Rule { check: Check::NotExample, min_entropy: 2.5, ..p!("aws-access-key-id", "AWS_ACCESS_KEY_ID", "aws", "'AKIA|ASIA|ABIA|ACCA B16", "AWS access key id (long-term AKIA, temporary ASIA)") },
    Rule { min_entropy: 3.5, ..c!("aws-secret-access-key", "AWS_SECRET_ACCESS_KEY", "aws", ["secret_access_key", "secretaccesskey", "secret-access-key", "aws_secret", "aws-secret", "awssecret"], "s40", "AWS secret access key assigned to an AWS secret key name") },
    p!("aws-mws-key", "AWS_MWS_KEY", "aws", "'amzn.mws. h8 '- h4 '- h4 '- h4 '- h12", "Amazon Marketplace Web Service auth token"),
    Rule { min_entropy: 3.0, ..p!("gcp-api-key", "GCP_API_KEY", "google", "'AIza k35", "Google Cloud / Google AI (Gemini) API key") },
    p!("gcp-oauth-client-secret", "GCP_OAUTH_CLIENT_SECRET", "google", "'GOCSPX- k28", "Google OAuth client secret"),
    p!("google-oauth-access-token", "GOOGLE_OAUTH_TOKEN", "google", "'ya29. k20-2048", "Google OAuth 2.0 access token"),
    Rule { ci: true, ..p!("azure-storage-account-key", "AZURE_STORAGE_KEY", "azure", "'AccountKey= | s86 '==", "Azure storage account key in a connection string") },
    p!("azure-ad-client-secret", "AZURE_CLIENT_SECRET", "azure", "g3 d1 'Q~ G31-34", "Azure AD (Entra ID) application client secret"),
    c!("azure-devops-pat", "AZURE_DEVOPS_PAT", "azure", ["azure_devops", "azuredevops", "azure-devops", "ado_pat", "devops_pat", "vsts"], "b52", "Azure DevOps personal access token"),
    c!("azure-cosmosdb-key", "AZURE_COSMOSDB_KEY", "azure", ["cosmos"], "s86 '==", "Azure Cosmos DB account key"),
    c!("azure-openai-api-key", "AZURE_OPENAI_API_KEY", "azure", ["azure_openai", "azure-openai", "azureopenai"], "h32", "Azure OpenAI API key"),
    p!("digitalocean-pat", "DIGITALOCEAN_TOKEN", "digitalocean", "'dop_v1_ h64", "DigitalOcean personal access token"),
    p!("digitalocean-access-token", "DIGITALOCEAN_TOKEN", "digitalocean", "'doo_v1_ h64", "DigitalOcean OAuth access token"),
    p!("digitalocean-refresh-token", "DIGITALOCEAN_TOKEN", "digitalocean", "'dor_v1_ h64", "DigitalOcean OAuth refresh token"),
    p!("alibaba-access-key-id", "ALIBABA_ACCESS_KEY_ID", "alibaba", "'LTAI A20", "Alibaba Cloud AccessKey id"),
    c!("alibaba-secret-key", "ALIBABA_SECRET_KEY", "alibaba", ["alibaba", "aliyun"], "A30", "Alibaba Cloud AccessKey secret"),
    p!("tencent-secret-id", "TENCENT_SECRET_ID", "tencent", "'AKID A32", "Tencent Cloud SecretId"),
    Rule { min_entropy: 3.0, ..c!("ibm-cloud-api-key", "IBM_CLOUD_API_KEY", "ibm", ["ibm_cloud", "ibmcloud", "ibm-cloud", "bluemix", "ibm_api_key"], "k44", "IBM Cloud API key") },
    c!("heroku-api-key", "HEROKU_API_KEY", "heroku", ["heroku"], "h8 '- h4 '- h4 '- h4 '- h12", "Heroku API key (UUID) assigned to a Heroku name"),
    p!("heroku-api-key-v2", "HEROKU_API_KEY", "heroku", "'HRKU-AA k58", "Heroku API key, prefixed format"),
    c!("cloudflare-api-token", "CLOUDFLARE_API_TOKEN", "cloudflare", ["cloudflare", "cf_api_token", "cf_token"], "k40", "Cloudflare API token"),
    c!("cloudflare-global-api-key", "CLOUDFLARE_API_KEY", "cloudflare", ["cloudflare", "cf_api_key"], "h37", "Cloudflare global API key"),
    p!("cloudflare-origin-ca-key", "CLOUDFLARE_ORIGIN_CA_KEY", "cloudflare", "'v1.0- h24 '- h146", "Cloudflare Origin CA key"),
    c!("fastly-api-token", "FASTLY_API_TOKEN", "fastly", ["fastly"], "k32", "Fastly API token"),
    c!("netlify-access-token", "NETLIFY_TOKEN", "netlify", ["netlify"], "K40-46", "Netlify access token"),
    p!("netlify-pat", "NETLIFY_TOKEN", "netlify", "'nfp_ A36", "Netlify personal access token, prefixed format"),
    c!("vercel-token", "VERCEL_TOKEN", "vercel", ["vercel"], "A24", "Vercel access token"),
    p!("flyio-access-token", "FLYIO_TOKEN", "fly", "'fo1_ k43", "Fly.io OAuth token"),
    p!("flyio-macaroon", "FLYIO_TOKEN", "fly", "'fm1a_|fm1r_|fm2_ e100-8192", "Fly.io macaroon token"),
    c!("linode-token", "LINODE_TOKEN", "linode", ["linode"], "h64", "Linode (Akamai) API token"),
    p!("scaleway-access-key", "SCALEWAY_ACCESS_KEY", "scaleway", "'SCW U17", "Scaleway access key id"),
    c!("scaleway-secret-key", "SCALEWAY_SECRET_KEY", "scaleway", ["scaleway", "scw_secret"], "h8 '- h4 '- h4 '- h4 '- h12", "Scaleway secret key"),
    c!("yandex-api-key", "YANDEX_API_KEY", "yandex", ["yandex"], "'AQVN k35-38", "Yandex Cloud API key"),
    c!("yandex-aws-access-token", "YANDEX_ACCESS_KEY", "yandex", ["yandex"], "'YC k38", "Yandex Cloud static access key"),
    p!("openshift-user-token", "OPENSHIFT_TOKEN", "openshift", "'sha256~ k43", "OpenShift user token"),
    p!("databricks-api-token", "DATABRICKS_TOKEN", "databricks", "'dapi h32", "Databricks personal access token"),
    p!("planetscale-api-token", "PLANETSCALE_TOKEN", "planetscale", "'pscale_tkn_ t32-64", "PlanetScale service token"),
    p!("planetscale-oauth-token", "PLANETSCALE_TOKEN", "planetscale", "'pscale_oauth_ t32-64", "PlanetScale OAuth token"),
    p!("planetscale-password", "PLANETSCALE_PASSWORD", "planetscale", "'pscale_pw_ t32-64", "PlanetScale database password"),
    p!("supabase-access-token", "SUPABASE_TOKEN", "supabase", "'sbp_ h40", "Supabase personal access token"),
    p!("render-api-key", "RENDER_API_KEY", "render", "'rnd_ A32", "Render API key"),
    p!("doppler-api-token", "DOPPLER_TOKEN", "doppler", "'dp.pt. A43", "Doppler personal token"),
    p!("doppler-service-token", "DOPPLER_TOKEN", "doppler", "'dp.st. A40-80", "Doppler service token"),
    p!("pulumi-api-token", "PULUMI_TOKEN", "pulumi", "'pul- h40", "Pulumi access token"),
    p!("hashicorp-tf-api-token", "TERRAFORM_TOKEN", "hashicorp", "A14 ^.atlasv1. K60-70", "Terraform Cloud / Enterprise API token"),
    p!("vault-service-token", "VAULT_TOKEN", "hashicorp", "'hvs. k90-120", "HashiCorp Vault service token"),
    p!("vault-batch-token", "VAULT_TOKEN", "hashicorp", "'hvb. k138-300", "HashiCorp Vault batch token"),
    p!("grafana-cloud-api-token", "GRAFANA_TOKEN", "grafana", "'glc_ e32-400", "Grafana Cloud API token"),
    p!("grafana-service-account-token", "GRAFANA_TOKEN", "grafana", "'glsa_ A32 '_ x8", "Grafana service account token"),
    p!("grafana-api-key", "GRAFANA_TOKEN", "grafana", "'eyJrIjoi e70-400", "Grafana API key (legacy)"),
    p!("tailscale-key", "TAILSCALE_KEY", "tailscale", "'tskey-auth-|tskey-api-|tskey-client-|tskey-scim-|tskey-webhook- A10-20 '- A20-40", "Tailscale auth or API key"),
    p!("age-secret-key", "AGE_SECRET_KEY", "age", "'AGE-SECRET-KEY-1 C58", "age encryption secret key"),
    p!("1password-service-account-token", "ONEPASSWORD_TOKEN", "1password", "'ops_eyJ e250-8192", "1Password service account token"),
    p!("1password-secret-key", "ONEPASSWORD_SECRET_KEY", "1password", "'A3- U6 '- U6 '- U5 '- U5 '- U5 '- U5", "1Password account secret key"),
    // ---- Code hosts, CI and package registries ------------------------------------------------
    Rule { check: Check::Crc32Base62, ..p!("github-pat", "GITHUB_TOKEN", "github", "'ghp_ A36", "GitHub personal access token (classic)") },
    Rule { check: Check::Crc32Base62, ..p!("github-oauth", "GITHUB_TOKEN", "github", "'gho_ A36", "GitHub OAuth access token") },
    Rule { check: Check::Crc32Base62, ..p!("github-user-to-server", "GITHUB_TOKEN", "github", "'ghu_ A36", "GitHub App user-to-server token") },
    Rule { check: Check::Crc32Base62, ..p!("github-server-to-server", "GITHUB_TOKEN", "github", "'ghs_ A36", "GitHub App installation (server-to-server) token") },
    Rule { check: Check::Crc32Base62, ..p!("github-refresh-token", "GITHUB_TOKEN", "github", "'ghr_ A36", "GitHub App refresh token") },
    p!("github-fine-grained-pat", "GITHUB_TOKEN", "github", "'github_pat_ A22 '_ A59", "GitHub fine-grained personal access token"),
    p!("gitlab-pat", "GITLAB_TOKEN", "gitlab", "'glpat- k20", "GitLab personal access token"),
    p!("gitlab-pat-routable", "GITLAB_TOKEN", "gitlab", "'glpat- k27-300 '. L9", "GitLab personal access token (routable)"),
    p!("gitlab-deploy-token", "GITLAB_TOKEN", "gitlab", "'gldt- k20", "GitLab deploy token"),
    p!("gitlab-runner-token", "GITLAB_TOKEN", "gitlab", "'glrt- k20", "GitLab runner authentication token"),
    p!("gitlab-runner-token-routable", "GITLAB_TOKEN", "gitlab", "'glrt-t d1 '_ k27-300 '. L9", "GitLab runner authentication token (routable)"),
    p!("gitlab-cicd-job-token", "GITLAB_TOKEN", "gitlab", "'glcbt- A1-5 '_ k20", "GitLab CI/CD job token"),
    p!("gitlab-feature-flag-token", "GITLAB_TOKEN", "gitlab", "'glffct- k20", "GitLab feature flag client token"),
    p!("gitlab-feed-token", "GITLAB_TOKEN", "gitlab", "'glft- k20", "GitLab feed token"),
    p!("gitlab-incoming-mail-token", "GITLAB_TOKEN", "gitlab", "'glimt- k25", "GitLab incoming mail token"),
    p!("gitlab-kubernetes-agent-token", "GITLAB_TOKEN", "gitlab", "'glagent- k50", "GitLab Kubernetes agent token"),
    p!("gitlab-oauth-app-secret", "GITLAB_TOKEN", "gitlab", "'gloas- k64", "GitLab OAuth application secret"),
    p!("gitlab-pipeline-trigger-token", "GITLAB_TOKEN", "gitlab", "'glptt- h40", "GitLab pipeline trigger token"),
    p!("gitlab-runner-registration-token", "GITLAB_TOKEN", "gitlab", "'GR1348941 k20", "GitLab runner registration token"),
    p!("gitlab-scim-token", "GITLAB_TOKEN", "gitlab", "'glsoat- k20", "GitLab SCIM token"),
    p!("gitlab-session-cookie", "GITLAB_SESSION", "gitlab", "'_gitlab_session= | L32", "GitLab session cookie"),
    c!("bitbucket-client-id", "BITBUCKET_CLIENT_ID", "bitbucket", ["bitbucket"], "A32", "Bitbucket OAuth client id"),
    c!("bitbucket-client-secret", "BITBUCKET_CLIENT_SECRET", "bitbucket", ["bitbucket"], "K64", "Bitbucket OAuth client secret"),
    p!("bitbucket-app-password", "BITBUCKET_TOKEN", "bitbucket", "'ATBB A32", "Bitbucket app password"),
    Rule { check: Check::Crc32Base62, ..p!("npm-access-token", "NPM_TOKEN", "npm", "'npm_ A36", "npm access token") },
    p!("pypi-upload-token", "PYPI_TOKEN", "pypi", "'pypi-AgEIcHlwaS5vcmc k50-1000", "PyPI upload token"),
    p!("pypi-test-upload-token", "PYPI_TOKEN", "pypi", "'pypi-AgENdGVzdC5weXBpLm9yZw k50-1000", "TestPyPI upload token"),
    p!("rubygems-api-token", "RUBYGEMS_TOKEN", "rubygems", "'rubygems_ h48", "RubyGems API key"),
    p!("nuget-api-key", "NUGET_API_KEY", "nuget", "'oy2 L43", "NuGet API key"),
    p!("dockerhub-pat", "DOCKER_HUB_TOKEN", "docker", "'dckr_pat_|dckr_oat_ k27-32", "Docker Hub personal or organization access token"),
    p!("crates-io-api-token", "CRATES_IO_TOKEN", "crates.io", "'cio A32", "crates.io API token"),
    Rule { ci: true, ..p!("clojars-api-token", "CLOJARS_TOKEN", "clojars", "'CLOJARS_ A60", "Clojars deploy token") },
    p!("jfrog-api-key", "JFROG_API_KEY", "jfrog", "'AKCp A69", "JFrog Artifactory API key"),
    p!("jfrog-reference-token", "JFROG_TOKEN", "jfrog", "'cmVmd A59", "JFrog Artifactory reference token"),
    c!("jfrog-identity-token", "JFROG_TOKEN", "jfrog", ["jfrog", "artifactory"], "L64", "JFrog identity token"),
    p!("atlassian-api-token", "ATLASSIAN_TOKEN", "atlassian", "'ATATT3 K186", "Atlassian API token"),
    c!("atlassian-api-token-legacy", "ATLASSIAN_TOKEN", "atlassian", ["atlassian", "confluence", "jira"], "A24", "Atlassian API token (legacy, by context)"),
    p!("sourcegraph-token", "SOURCEGRAPH_TOKEN", "sourcegraph", "'sgp_ x40", "Sourcegraph access token"),
    p!("sonarqube-token", "SONAR_TOKEN", "sonarsource", "'squ_|sqp_|sqa_ h40", "SonarQube user, project or analysis token"),
    c!("snyk-api-token", "SNYK_TOKEN", "snyk", ["snyk"], "h8 '- h4 '- h4 '- h4 '- h12", "Snyk API token"),
    c!("travisci-access-token", "TRAVIS_TOKEN", "travis-ci", ["travis"], "A22", "Travis CI access token"),
    c!("circleci-token", "CIRCLECI_TOKEN", "circleci", ["circleci", "circle_token", "circle-token"], "h40", "CircleCI personal API token"),
    c!("codecov-access-token", "CODECOV_TOKEN", "codecov", ["codecov"], "h8 '- h4 '- h4 '- h4 '- h12", "Codecov upload token"),
    c!("droneci-access-token", "DRONE_TOKEN", "drone", ["droneci", "drone_token"], "A32", "Drone CI access token"),
    p!("buildkite-token", "BUILDKITE_TOKEN", "buildkite", "'bkua_ h40", "Buildkite user access token"),
    p!("octopus-deploy-api-key", "OCTOPUS_API_KEY", "octopus", "'API- U26", "Octopus Deploy API key"),
    p!("harness-api-key", "HARNESS_TOKEN", "harness", "'pat.|sat. k22 '. A24 '. A20", "Harness personal or service account token"),
    p!("infracost-api-token", "INFRACOST_TOKEN", "infracost", "'ico- A32", "Infracost API token"),
    p!("prefect-api-token", "PREFECT_TOKEN", "prefect", "'pnu_ A36", "Prefect API token"),
    p!("readme-api-token", "README_TOKEN", "readme", "'rdme_ L70", "ReadMe API key"),
    p!("scalingo-api-token", "SCALINGO_TOKEN", "scalingo", "'tk-us- k48", "Scalingo API token"),
    p!("postman-api-token", "POSTMAN_API_KEY", "postman", "'PMAK- x24 '- x34", "Postman API key"),
    p!("frameio-api-token", "FRAMEIO_TOKEN", "frame.io", "'fio-u- K64", "Frame.io developer token"),
    p!("dynatrace-api-token", "DYNATRACE_TOKEN", "dynatrace", "'dt0c01. A24 '. A64", "Dynatrace API token"),
    // ---- AI providers --------------------------------------------------------------------------
    p!("openai-project-key", "OPENAI_API_KEY", "openai", "'sk-proj-|sk-svcacct-|sk-admin- k40-250", "OpenAI project, service account or admin key"),
    Rule { min_entropy: 3.5, ..p!("openai-api-key", "OPENAI_API_KEY", "openai", "'sk- A48", "OpenAI API key (legacy user key)") },
    p!("anthropic-api-key", "ANTHROPIC_API_KEY", "anthropic", "'sk-ant-api03- k93 'AA", "Anthropic API key"),
    p!("anthropic-admin-api-key", "ANTHROPIC_API_KEY", "anthropic", "'sk-ant-admin01- k93 'AA", "Anthropic admin API key"),
    p!("openrouter-api-key", "OPENROUTER_API_KEY", "openrouter", "'sk-or-v1- h64", "OpenRouter API key"),
    Rule { min_entropy: 3.0, ..p!("deepseek-api-key", "DEEPSEEK_API_KEY", "deepseek", "'sk- h32", "DeepSeek API key") },
    p!("huggingface-access-token", "HUGGINGFACE_TOKEN", "huggingface", "'hf_ a34", "Hugging Face access token"),
    p!("huggingface-org-token", "HUGGINGFACE_TOKEN", "huggingface", "'api_org_ a34", "Hugging Face organization API token"),
    c!("cohere-api-key", "COHERE_API_KEY", "cohere", ["cohere", "co_api_key"], "A40", "Cohere API key"),
    p!("replicate-api-token", "REPLICATE_API_TOKEN", "replicate", "'r8_ A37", "Replicate API token"),
    p!("groq-api-key", "GROQ_API_KEY", "groq", "'gsk_ A52", "Groq API key"),
    p!("perplexity-api-key", "PERPLEXITY_API_KEY", "perplexity", "'pplx- A48", "Perplexity API key"),
    c!("mistral-api-key", "MISTRAL_API_KEY", "mistral", ["mistral"], "A32", "Mistral AI API key"),
    c!("together-api-key", "TOGETHER_API_KEY", "together", ["together_api_key", "togetherai", "together_ai", "together-ai"], "h64", "Together AI API key"),
    p!("xai-api-key", "XAI_API_KEY", "xai", "'xai- A80", "xAI (Grok) API key"),
    p!("fireworks-api-key", "FIREWORKS_API_KEY", "fireworks", "'fw_ A20-30", "Fireworks AI API key"),
    p!("langsmith-api-key", "LANGSMITH_API_KEY", "langchain", "'lsv2_pt_|lsv2_sk_ h32 '_ h10", "LangSmith personal or service key"),
    p!("elevenlabs-api-key", "ELEVENLABS_API_KEY", "elevenlabs", "'sk_ h48", "ElevenLabs API key"),
    c!("assemblyai-api-key", "ASSEMBLYAI_API_KEY", "assemblyai", ["assemblyai", "assembly_ai"], "h32", "AssemblyAI API key"),
    c!("deepgram-api-key", "DEEPGRAM_API_KEY", "deepgram", ["deepgram"], "h40", "Deepgram API key"),
    // ---- Payments --------------------------------------------------------------------------------
    p!("stripe-secret-key", "STRIPE_KEY", "stripe", "'sk_live_ A24-247", "Stripe live secret key"),
    Rule { score: 0.8, ..p!("stripe-test-secret-key", "STRIPE_KEY", "stripe", "'sk_test_ A24-247", "Stripe test-mode secret key") },
    p!("stripe-restricted-key", "STRIPE_KEY", "stripe", "'rk_live_|rk_test_ A24-247", "Stripe restricted key"),
    Rule { score: 0.6, ..p!("stripe-publishable-key", "STRIPE_PUBLISHABLE_KEY", "stripe", "'pk_live_|pk_test_ A24-247", "Stripe publishable key (public, reported for inventory)") },
    p!("stripe-webhook-secret", "STRIPE_WEBHOOK_SECRET", "stripe", "'whsec_ A32-64", "Stripe webhook signing secret"),
    p!("square-access-token", "SQUARE_TOKEN", "square", "'sq0atp- k22-60", "Square access token"),
    p!("square-access-token-v2", "SQUARE_TOKEN", "square", "'EAAA k60", "Square access token (EAAA format)"),
    p!("square-oauth-secret", "SQUARE_SECRET", "square", "'sq0csp- k43", "Square OAuth application secret"),
    p!("paypal-braintree-access-token", "PAYPAL_TOKEN", "paypal", "'access_token$production$|access_token$sandbox$ L16 '$ h32", "PayPal Braintree access token"),
    p!("shopify-access-token", "SHOPIFY_TOKEN", "shopify", "'shpat_ x32", "Shopify Admin API access token"),
    p!("shopify-custom-access-token", "SHOPIFY_TOKEN", "shopify", "'shpca_ x32", "Shopify custom app access token"),
    p!("shopify-private-app-token", "SHOPIFY_TOKEN", "shopify", "'shppa_ x32", "Shopify private app access token"),
    p!("shopify-shared-secret", "SHOPIFY_SECRET", "shopify", "'shpss_ x32", "Shopify app shared secret"),
    p!("razorpay-key-id", "RAZORPAY_KEY", "razorpay", "'rzp_live_|rzp_test_ A14", "Razorpay key id"),
    p!("flutterwave-secret-key", "FLUTTERWAVE_KEY", "flutterwave", "'FLWSECK_TEST-|FLWSECK- h32 '-X", "Flutterwave secret key"),
    p!("flutterwave-public-key", "FLUTTERWAVE_KEY", "flutterwave", "'FLWPUBK_TEST-|FLWPUBK- h32 '-X", "Flutterwave public key"),
    p!("flutterwave-encryption-key", "FLUTTERWAVE_KEY", "flutterwave", "'FLWSECK_TEST h12", "Flutterwave encryption key"),
    c!("gocardless-api-token", "GOCARDLESS_TOKEN", "gocardless", ["gocardless"], "'live_ K40", "GoCardless live access token"),
    c!("coinbase-access-token", "COINBASE_TOKEN", "coinbase", ["coinbase"], "k64", "Coinbase access token"),
    c!("kraken-access-token", "KRAKEN_TOKEN", "kraken", ["kraken"], "E80-90", "Kraken API secret"),
    c!("kucoin-access-token", "KUCOIN_TOKEN", "kucoin", ["kucoin"], "h24", "KuCoin API key"),
    c!("bittrex-api-key", "BITTREX_KEY", "bittrex", ["bittrex"], "A32", "Bittrex API key or secret"),
    c!("plaid-access-token", "PLAID_TOKEN", "plaid", ["plaid"], "'access-sandbox-|access-development-|access-production- h8 '- h4 '- h4 '- h4 '- h12", "Plaid access token"),
    c!("plaid-client-id", "PLAID_CLIENT_ID", "plaid", ["plaid"], "A24", "Plaid client id"),
    c!("plaid-secret-key", "PLAID_SECRET", "plaid", ["plaid"], "A30", "Plaid secret key"),
    p!("easypost-api-token", "EASYPOST_TOKEN", "easypost", "'EZAK A54", "EasyPost production API key"),
    p!("easypost-test-api-token", "EASYPOST_TOKEN", "easypost", "'EZTK A54", "EasyPost test API key"),
    p!("shippo-api-token", "SHIPPO_TOKEN", "shippo", "'shippo_live_|shippo_test_ x40", "Shippo API token"),
    p!("duffel-api-token", "DUFFEL_TOKEN", "duffel", "'duffel_test_|duffel_live_ K43", "Duffel API token"),
    c!("lob-api-key", "LOB_API_KEY", "lob", ["lob_api", "lob_key", "lob_secret", "lob-api"], "'live_|test_ h35", "Lob API key"),
    c!("finicity-api-token", "FINICITY_TOKEN", "finicity", ["finicity"], "h32", "Finicity API token"),
    c!("finicity-client-secret", "FINICITY_SECRET", "finicity", ["finicity"], "A20", "Finicity client secret"),
    c!("finnhub-access-token", "FINNHUB_TOKEN", "finnhub", ["finnhub"], "A20", "Finnhub access token"),
    // ---- Messaging, email, collaboration and SaaS -------------------------------------------------
    p!("slack-bot-token", "SLACK_TOKEN", "slack", "'xoxb- d10-13 '- d10-13 n0-64", "Slack bot token"),
    p!("slack-user-token", "SLACK_TOKEN", "slack", "'xoxp- d10-13 '- d10-13 '- d10-13 '- n28-34", "Slack user token"),
    p!("slack-app-token", "SLACK_TOKEN", "slack", "'xapp- d1 '- A1-32 '- d1-20 '- A1-80", "Slack app-level token"),
    Rule { ci: true, ..p!("slack-config-access-token", "SLACK_TOKEN", "slack", "'xoxe.xoxb-|xoxe.xoxp- d1 '- A163-166", "Slack configuration access token") },
    Rule { ci: true, ..p!("slack-config-refresh-token", "SLACK_TOKEN", "slack", "'xoxe- d1 '- A146", "Slack configuration refresh token") },
    p!("slack-legacy-workspace-token", "SLACK_TOKEN", "slack", "'xoxa-|xoxr- n8-50", "Slack legacy workspace token"),
    p!("slack-legacy-token", "SLACK_TOKEN", "slack", "'xoxo-|xoxs- d1-20 '- d1-20 '- d1-20 '- x1-64", "Slack legacy token"),
    p!("slack-webhook-url", "SLACK_WEBHOOK", "slack", "'hooks.slack.com/services/|hooks.slack.com/workflows/|hooks.slack.com/triggers/ s43-56", "Slack incoming webhook URL"),
    c!("discord-bot-token", "DISCORD_TOKEN", "discord", ["discord", "bot_token"], "k24-26 '. k6 '. k27-38", "Discord bot token"),
    p!("discord-webhook-url", "DISCORD_WEBHOOK", "discord", "'discord.com/api/webhooks/|discordapp.com/api/webhooks/ d17-20 '/ k60-68", "Discord webhook URL"),
    c!("discord-client-secret", "DISCORD_SECRET", "discord", ["discord"], "K32", "Discord client secret"),
    p!("telegram-bot-token", "TELEGRAM_BOT_TOKEN", "telegram", "d8-10 ':AA k33", "Telegram bot API token"),
    p!("microsoft-teams-webhook", "TEAMS_WEBHOOK", "microsoft", "L1-63 ^.webhook.office.com/webhookb2/ h8 '- h4 '- h4 '- h4 '- h12 '@ h8 '- h4 '- h4 '- h4 '- h12 '/IncomingWebhook/ h32 '/ h8 '- h4 '- h4 '- h4 '- h12", "Microsoft Teams incoming webhook URL"),
    Rule { min_entropy: 3.0, ..p!("twilio-api-key", "TWILIO_API_KEY", "twilio", "'SK x32", "Twilio API key SID") },
    c!("twilio-account-sid", "TWILIO_ACCOUNT_SID", "twilio", ["twilio"], "'AC h32", "Twilio account SID next to a Twilio name"),
    c!("twilio-auth-token", "TWILIO_AUTH_TOKEN", "twilio", ["twilio_auth", "twilio-auth", "twilioauth"], "h32", "Twilio auth token"),
    p!("sendgrid-api-token", "SENDGRID_API_KEY", "sendgrid", "'SG. k22 '. k43", "SendGrid API key"),
    c!("mailgun-private-api-token", "MAILGUN_API_KEY", "mailgun", ["mailgun"], "'key- h32", "Mailgun private API key"),
    c!("mailgun-pub-key", "MAILGUN_API_KEY", "mailgun", ["mailgun"], "'pubkey- h32", "Mailgun public validation key"),
    c!("mailgun-signing-key", "MAILGUN_SIGNING_KEY", "mailgun", ["mailgun"], "h32 '- h8 '- h8", "Mailgun webhook signing key"),
    p!("mailchimp-api-key", "MAILCHIMP_API_KEY", "mailchimp", "h32 '-us d1-2", "Mailchimp API key (with its -usN data center)"),
    p!("sendinblue-api-token", "BREVO_API_KEY", "brevo", "'xkeysib- h64 '- A16", "Brevo (Sendinblue) API key"),
    p!("sendinblue-smtp-key", "BREVO_SMTP_KEY", "brevo", "'xsmtpsib- h64 '- A16", "Brevo (Sendinblue) SMTP key"),
    c!("postmark-server-token", "POSTMARK_TOKEN", "postmark", ["postmark"], "h8 '- h4 '- h4 '- h4 '- h12", "Postmark server token"),
    c!("mailjet-api-key", "MAILJET_API_KEY", "mailjet", ["mailjet"], "h32", "Mailjet API key or secret"),
    p!("sentry-user-token", "SENTRY_TOKEN", "sentry", "'sntryu_ h64", "Sentry user auth token"),
    p!("sentry-org-token", "SENTRY_TOKEN", "sentry", "'sntrys_eyJ e20-800 '_ s43", "Sentry organization auth token"),
    c!("sentry-access-token", "SENTRY_TOKEN", "sentry", ["sentry"], "h64", "Sentry auth token (old format)"),
    c!("datadog-api-key", "DATADOG_API_KEY", "datadog", ["datadog", "dd_api_key", "dd-api-key", "ddapikey"], "h32", "Datadog API key"),
    c!("datadog-app-key", "DATADOG_APP_KEY", "datadog", ["datadog", "dd_app_key", "dd_application_key", "dd-app-key"], "h40", "Datadog application key"),
    p!("new-relic-user-api-key", "NEW_RELIC_KEY", "newrelic", "'NRAK- U27", "New Relic user API key"),
    p!("new-relic-insert-key", "NEW_RELIC_KEY", "newrelic", "'NRII- n32", "New Relic insights insert key"),
    p!("new-relic-browser-api-token", "NEW_RELIC_KEY", "newrelic", "'NRJS- h19", "New Relic browser ingest token"),
    Rule { ci: true, ..p!("linear-api-key", "LINEAR_API_KEY", "linear", "'lin_api_ A40", "Linear API key") },
    c!("linear-client-secret", "LINEAR_SECRET", "linear", ["linear_client", "linear_secret", "linear-client"], "h32", "Linear OAuth client secret"),
    p!("notion-api-token", "NOTION_TOKEN", "notion", "'ntn_ d11 A35", "Notion integration token"),
    p!("notion-legacy-token", "NOTION_TOKEN", "notion", "'secret_ A43", "Notion integration token (legacy secret_ format)"),
    p!("airtable-pat", "AIRTABLE_TOKEN", "airtable", "'pat A14 '. h64", "Airtable personal access token"),
    c!("airtable-api-key", "AIRTABLE_API_KEY", "airtable", ["airtable"], "A17", "Airtable API key (legacy)"),
    c!("asana-pat", "ASANA_TOKEN", "asana", ["asana"], "d1 '/ d10-20 ': h32", "Asana personal access token"),
    c!("asana-client-secret", "ASANA_SECRET", "asana", ["asana"], "A32", "Asana client secret"),
    Rule { min_entropy: 3.5, ..c!("okta-api-token", "OKTA_TOKEN", "okta", ["okta"], "'00 K40", "Okta API token next to an Okta name") },
    p!("dropbox-short-lived-token", "DROPBOX_TOKEN", "dropbox", "'sl. t130-1400", "Dropbox short-lived access token"),
    c!("dropbox-long-lived-token", "DROPBOX_TOKEN", "dropbox", ["dropbox"], "A11 'AAAAAAAAAA K43", "Dropbox long-lived access token"),
    p!("figma-pat", "FIGMA_TOKEN", "figma", "'figd_ k30-60", "Figma personal access token"),
    p!("hubspot-pat", "HUBSPOT_TOKEN", "hubspot", "'pat-na1-|pat-eu1- h8 '- h4 '- h4 '- h4 '- h12", "HubSpot private app access token"),
    c!("hubspot-api-key", "HUBSPOT_API_KEY", "hubspot", ["hubspot"], "x8 '- x4 '- x4 '- x4 '- x12", "HubSpot API key (legacy)"),
    c!("intercom-api-key", "INTERCOM_TOKEN", "intercom", ["intercom"], "K60", "Intercom access token"),
    c!("zendesk-secret-key", "ZENDESK_TOKEN", "zendesk", ["zendesk"], "A40", "Zendesk API token"),
    c!("algolia-api-key", "ALGOLIA_API_KEY", "algolia", ["algolia"], "A32", "Algolia API key"),
    p!("mapbox-secret-token", "MAPBOX_TOKEN", "mapbox", "'sk.eyJ k50-300 '. k22", "Mapbox secret access token"),
    c!("mapbox-api-token", "MAPBOX_TOKEN", "mapbox", ["mapbox"], "'pk. A60 '. k22", "Mapbox public access token next to a Mapbox name"),
    c!("messagebird-api-token", "MESSAGEBIRD_TOKEN", "messagebird", ["messagebird", "message_bird", "message-bird"], "A25", "MessageBird API key"),
    c!("mattermost-access-token", "MATTERMOST_TOKEN", "mattermost", ["mattermost"], "A26", "Mattermost access token"),
    c!("launchdarkly-access-token", "LAUNCHDARKLY_TOKEN", "launchdarkly", ["launchdarkly"], "K40", "LaunchDarkly access token"),
    c!("contentful-delivery-api-token", "CONTENTFUL_TOKEN", "contentful", ["contentful"], "K43", "Contentful delivery API token"),
    c!("beamer-api-token", "BEAMER_TOKEN", "beamer", ["beamer"], "'b_ K44", "Beamer API key"),
    c!("confluent-access-token", "CONFLUENT_KEY", "confluent", ["confluent"], "A16", "Confluent Cloud API key"),
    c!("confluent-secret-key", "CONFLUENT_SECRET", "confluent", ["confluent"], "A64", "Confluent Cloud API secret"),
    c!("flickr-access-token", "FLICKR_TOKEN", "flickr", ["flickr"], "A32", "Flickr API key"),
    c!("freshbooks-access-token", "FRESHBOOKS_TOKEN", "freshbooks", ["freshbooks"], "A64", "FreshBooks access token"),
    c!("gitter-access-token", "GITTER_TOKEN", "gitter", ["gitter"], "k40", "Gitter access token"),
    c!("etsy-access-token", "ETSY_TOKEN", "etsy", ["etsy"], "A24", "Etsy API key"),
    c!("nytimes-access-token", "NYTIMES_TOKEN", "nytimes", ["nytimes", "newyorktimes", "new-york-times"], "K32", "New York Times API key"),
    c!("rapidapi-access-token", "RAPIDAPI_KEY", "rapidapi", ["rapidapi"], "k50", "RapidAPI key"),
    c!("sendbird-access-token", "SENDBIRD_TOKEN", "sendbird", ["sendbird"], "h40", "Sendbird API token"),
    c!("squarespace-access-token", "SQUARESPACE_TOKEN", "squarespace", ["squarespace"], "h8 '- h4 '- h4 '- h4 '- h12", "Squarespace API key"),
    c!("sumologic-access-token", "SUMOLOGIC_TOKEN", "sumologic", ["sumologic", "sumo_access", "sumo_key"], "A64", "Sumo Logic access key"),
    p!("typeform-api-token", "TYPEFORM_TOKEN", "typeform", "'tfp_ t59", "Typeform personal token"),
    c!("twitch-api-token", "TWITCH_TOKEN", "twitch", ["twitch"], "A30", "Twitch API token"),
    c!("twitter-bearer-token", "TWITTER_TOKEN", "twitter", ["twitter"], "'AAAAAAAAAAAAAAAAAAAAAA P80-100", "Twitter/X bearer token"),
    c!("twitter-api-key", "TWITTER_API_KEY", "twitter", ["twitter"], "A25", "Twitter/X API key"),
    c!("twitter-api-secret", "TWITTER_SECRET", "twitter", ["twitter"], "A50", "Twitter/X API secret"),
    c!("twitter-access-token", "TWITTER_TOKEN", "twitter", ["twitter"], "d15-25 '- A20-40", "Twitter/X access token"),
    c!("twitter-access-secret", "TWITTER_SECRET", "twitter", ["twitter"], "A45", "Twitter/X access token secret"),
    p!("facebook-page-access-token", "FACEBOOK_TOKEN", "facebook", "'EAAM|EAAC A100-1000", "Facebook (Meta) access token"),
    c!("facebook-secret", "FACEBOOK_SECRET", "facebook", ["facebook"], "h32", "Facebook app secret"),
    c!("linkedin-client-secret", "LINKEDIN_SECRET", "linkedin", ["linkedin", "linked_in", "linked-in"], "A16", "LinkedIn client secret"),
    c!("adafruit-api-key", "ADAFRUIT_KEY", "adafruit", ["adafruit"], "k32", "Adafruit IO key"),
    p!("adobe-client-secret", "ADOBE_SECRET", "adobe", "'p8e- A32", "Adobe client secret"),
    c!("adobe-client-id", "ADOBE_CLIENT_ID", "adobe", ["adobe"], "h32", "Adobe OAuth client id"),
    p!("clickhouse-cloud-api-secret", "CLICKHOUSE_SECRET", "clickhouse", "'4b1d A38", "ClickHouse Cloud API secret"),
    p!("maxmind-license-key", "MAXMIND_KEY", "maxmind", "A6 '_ A29 ^_mmk", "MaxMind license key"),
    p!("settlemint-token", "SETTLEMINT_TOKEN", "settlemint", "'sm_aat_|sm_pat_|sm_sat_ A16", "SettleMint access token"),
    p!("intra42-client-secret", "INTRA42_SECRET", "42", "'s-s4t2ud-|s-s4t2af- h64", "42 Intra client secret"),
    c!("defined-networking-api-token", "DEFINED_NETWORKING_TOKEN", "defined", ["dnkey"], "'dnkey- K26 '- K52", "Defined Networking API token"),
    c!("cisco-meraki-api-key", "MERAKI_API_KEY", "cisco", ["meraki"], "h40", "Cisco Meraki API key"),
];

/// One part of a compiled spec.
#[derive(Debug, Clone)]
pub(crate) enum Part {
    /// One of these literals.
    Lits(Vec<&'static str>),
    /// A greedy run of `min..=max` bytes of class `set` (an index into [`CLASSES`]).
    Run { set: u8, min: u16, max: u16 },
    /// The reported span starts here.
    Start,
}

/// A spec parsed into parts, with the index of the anchor literal (keyword) when it has one.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub parts: Vec<Part>,
    pub anchor: Option<usize>,
}

/// Parses a spec (see the module docs). The table is static, so an error is a bug (tested).
pub(crate) fn compile(spec: &'static str) -> Result<Compiled, String> {
    let mut parts = Vec::new();
    let mut anchor = None;
    let mut first_literal = None;
    for token in spec.split(' ').filter(|t| !t.is_empty()) {
        let bytes = token.as_bytes();
        match bytes[0] {
            b'\'' | b'^' => {
                let alternatives: Vec<&'static str> = token[1..].split('|').collect();
                if alternatives.iter().any(|a| a.is_empty()) {
                    return Err(format!("empty literal in {spec:?}"));
                }
                if bytes[0] == b'^' {
                    anchor = Some(parts.len());
                }
                first_literal.get_or_insert(parts.len());
                parts.push(Part::Lits(alternatives));
            }
            b'|' if token.len() == 1 => parts.push(Part::Start),
            class => {
                let set =
                    CLASSES.iter().position(|&(c, _)| c == class).ok_or_else(|| format!("class {token:?} in {spec:?}"))?;
                let (min, max) = match token[1..].split_once('-') {
                    Some((min, max)) => (min.parse::<u16>(), max.parse::<u16>()),
                    None => (token[1..].parse::<u16>(), token[1..].parse::<u16>()),
                };
                let (Ok(min), Ok(max)) = (min, max) else { return Err(format!("count {token:?} in {spec:?}")) };
                if min > max || max == 0 {
                    return Err(format!("count {token:?} in {spec:?}"));
                }
                parts.push(Part::Run { set: set as u8, min, max });
            }
        }
    }
    Ok(Compiled { parts, anchor: anchor.or(first_literal) })
}

/// The bytes of class `set`, expanded from its ranges.
pub(crate) fn class_bytes(set: u8) -> Vec<u8> {
    let ranges = CLASSES[set as usize].1.as_bytes();
    if set as usize == CLASSES.len() - 1 {
        return ranges.to_vec(); // the bech32 alphabet, listed as is
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < ranges.len() {
        if i + 2 < ranges.len() && ranges[i + 1] == b'-' {
            out.extend(ranges[i]..=ranges[i + 2]);
            i += 3;
        } else {
            out.push(ranges[i]);
            i += 1;
        }
    }
    out
}
