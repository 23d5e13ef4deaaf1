"""The routes, and what every answer shares: negotiation, caching headers, CORS.

======================  ===================================================================
``/``                   the home page (HTML), else 303 to the dataset description
``/sparql``             the SPARQL 1.1 Protocol, read-only (sparql.py)
``/query``              the catalogue as JSON; ``/query/NAME`` a question (questions.py)
``/.well-known/void``   the VoID/DCAT description of the dataset (describe.py)
``/download/NAME``      a published download (a file of the published folder's manifest)
``/ontology``           the ontology (Turtle, JSON-LD, N-Triples, RDF/XML; HTML: 303 to Turtle)
``/context.jsonld``     the JSON-LD context (files.py)
``/PATH``               the resource ``{base}PATH``: HTML (html.py), Turtle, JSON-LD, N-Triples,
                        RDF/XML by ``Accept`` or suffix (description.py); 404 when unknown
======================  ===================================================================

Pages (HTML) are store work like every other answer: jobs of the worker pool (html.py), with the
time limit, the answer cache and ETags; ``pages=False`` makes a server of data only (HTML: 406).
"""
from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from ..describe import MEDIA_TYPES, PATH as VOID_PATH, TURTLE_PREFIXES
from ..query.published import listed_files
from . import negotiate as neg
from . import files
from .caching import AnswerCache, data_version, etag, matches
from .pool import Answer, Pool, text_answer
from .questions import listing

LANGS = ("en", "fr")
HTML_VARY = "Accept, Accept-Language"  # a page depends on the language asked for too


def _lang(request: Request) -> str:
    """``?lang=``, else the first of en/fr in ``Accept-Language`` by q-value, else en."""
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    best, best_q = "en", 0.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        primary = tag.split("-")[0].lower()
        if primary in LANGS and weight > best_q:
            best, best_q = primary, weight
    return best


class Server:
    """What the routes share: the store, the pool of workers, the cache, the settings."""

    def __init__(self, store_dir: Path, published: Path | None, base: str, pages: bool, pool: Pool,
                 result_cap: int, cache_bytes: int, max_age: int):
        self.store_dir, self.published, self.base, self.pages = store_dir, published, base, pages
        self.pool, self.result_cap, self.max_age = pool, result_cap, max_age
        self.cache = AnswerCache(cache_bytes)

    # -- the answer, with the headers every answer carries ------------------------------------
    def respond(self, request: Request, answer: Answer, tag: str | None = None, vary: str = "Accept",
                extra: dict[str, str] | None = None) -> Response:
        headers = {**answer.headers, **(extra or {})}
        if vary:
            headers["Vary"] = vary
        if answer.status == 200 and tag:
            headers["ETag"] = tag
            headers["Cache-Control"] = f"public, max-age={self.max_age}"
        else:
            headers.setdefault("Cache-Control", "no-store")
        body = b"" if request.method == "HEAD" else answer.body
        response = Response(body, answer.status, headers, media_type=answer.media_type)
        if request.method == "HEAD":
            response.headers["content-length"] = str(len(answer.body))
        return response

    def not_modified(self, tag: str, vary: str, extra: dict[str, str] | None = None) -> Response:
        return Response(status_code=304, headers={"ETag": tag, "Vary": vary, **(extra or {}),
                                                  "Cache-Control": f"public, max-age={self.max_age}"})

    async def cached(self, request: Request, key: tuple, target: str, vary: str = "Accept",
                     extra: dict[str, str] | None = None, **kwargs) -> Response:
        """The answer of ``target`` for ``key``: 304 when the client has it, from memory when given
        before, else from a worker."""
        tag = etag(data_version(self.store_dir), *key)
        if matches(request.headers.get("if-none-match"), tag):
            return self.not_modified(tag, vary, extra)
        answer = self.cache.get(tag)
        if answer is None:
            answer = await self.pool.run(target, **kwargs)
            if answer is None:  # an unknown resource
                return self.respond(request, text_answer(404, f"no such resource: {kwargs.get('iri', request.url.path)}"), vary=vary)
            self.cache.put(tag, answer)
        return self.respond(request, answer, tag, vary, extra)

    def downloads(self) -> dict[str, tuple[int, str]]:
        """The published folder's files (its manifest): name -> (bytes, sha256)."""
        if self.published is None:
            return {}
        return {name: (entry["size"], entry["sha256"]) for name, entry in listed_files(self.published).items()
                if "size" in entry and "sha256" in entry}

    def alternates(self, path: str, offers: tuple[neg.Format, ...]) -> str:
        return ", ".join(f'<{path}{f.suffix}>; rel="alternate"; type="{f.media_type}"' for f in offers)

    def offers(self, with_html: bool = True) -> tuple[neg.Format, ...]:
        return neg.RESOURCE_FORMATS if with_html else neg.RDF_FORMATS

    def no_html(self, path: str) -> Answer:
        """406: HTML asked for and this server has no pages."""
        links = self.alternates(path, neg.RDF_FORMATS)
        return text_answer(406, "this server has no HTML pages; available:\n" + "\n".join(
            f"  {path}{f.suffix}  ({f.media_type})" for f in neg.RDF_FORMATS), {"Link": links})

    # -- routes ----------------------------------------------------------------------------------
    async def sparql(self, request: Request) -> Response:
        from .sparql import protocol_request

        parsed = await protocol_request(request)
        if isinstance(parsed, Answer):
            return self.respond(request, parsed)
        query, default_graphs, named_graphs = parsed
        accept = request.headers.get("accept")
        key = ("sparql", query, tuple(default_graphs), tuple(named_graphs), accept)
        return await self.cached(request, key, "report_graph.server.sparql:execute", query=query,
                                 default_graphs=default_graphs, named_graphs=named_graphs, accept=accept,
                                 cap=self.result_cap, base_iri=self.base + "sparql")

    async def home(self, request: Request) -> Response:
        fmt = neg.choose(request.headers.get("accept"), (neg.HTML, *neg.RDF_FORMATS))
        if fmt is neg.HTML and self.pages:
            lang = _lang(request)
            from ..site.pages import home_downloads

            # the published folder's files (either layout); without one, the whole layout's names
            downloads = home_downloads(self.downloads()) if self.published is not None else None
            return await self.cached(request, ("home", lang, downloads), "report_graph.server.html:home", HTML_VARY,
                                     base=self.base, lang=lang, downloads=downloads)
        if fmt is neg.HTML:
            return self.respond(request, self.no_html("/" + VOID_PATH))
        return RedirectResponse("/" + VOID_PATH, 303, headers={"Vary": "Accept"})

    async def void(self, request: Request) -> Response:
        path, fmt = neg.by_suffix(request.url.path, neg.RDF_FORMATS)
        fmt = fmt or neg.choose(request.headers.get("accept"), neg.RDF_FORMATS)
        if fmt is None:
            return self.respond(request, text_answer(406, "available: " + ", ".join(f.media_type for f in neg.RDF_FORMATS)))
        downloads = self.downloads()
        return await self.cached(request, ("void", fmt.media_type, sorted(downloads.items())),
                                 "report_graph.server.description:dataset", extra={
                                     "Link": self.alternates(path, neg.RDF_FORMATS)},
                                 base=self.base, downloads=downloads, media_type=fmt.media_type, cap=self.result_cap)

    async def catalogue(self, request: Request) -> Response:
        return self.respond(request, Answer(200, neg.JSON.content_type, listing()),
                            etag(data_version(self.store_dir), "catalogue"))

    async def question(self, request: Request) -> Response:
        name, fmt = neg.by_suffix(request.path_params["name"], neg.QUESTION_FORMATS)
        fmt = fmt or neg.choose(request.headers.get("accept"), (neg.JSON, neg.CSV, neg.HTML))
        params = {k: v for k, v in request.query_params.items() if k != "lang"}
        if fmt is None:
            return self.respond(request, text_answer(406, "available: application/json, text/csv, text/html"))
        if fmt is neg.HTML:
            if not self.pages:
                return self.respond(request, text_answer(406, "this server has no HTML pages; available: "
                                                              f"/query/{name}.json, /query/{name}.csv"))
            lang = _lang(request)
            return await self.cached(request, ("question", name, sorted(params.items()), "html", lang),
                                     "report_graph.server.html:question", HTML_VARY, base=self.base, name=name,
                                     params=params, lang=lang)
        return await self.cached(request, ("question", name, sorted(params.items()), fmt.media_type),
                                 "report_graph.server.questions:answer", name=name, params=params,
                                 media_type=fmt.media_type, cap=self.result_cap)

    async def download(self, request: Request) -> Response:
        name = request.path_params["name"]
        entry = self.downloads().get(name)
        if entry is None or self.published is None or ".." in name.split("/") or name.startswith("/"):
            return self.respond(request, text_answer(404, f"no download called {name!r}"), vary="")
        tag = f'"{entry[1]}"'
        if matches(request.headers.get("if-none-match"), tag):
            return self.not_modified(tag, "")
        media = MEDIA_TYPES.get("." + name.rsplit(".", 1)[-1], "application/octet-stream")
        return FileResponse(self.published / name, media_type=media, headers={
            "ETag": tag, "Cache-Control": f"public, max-age={self.max_age}"})

    async def resource(self, request: Request) -> Response:
        raw = request.scope.get("raw_path") or request.url.path.encode("utf-8")
        path, fmt = neg.by_suffix(raw.decode("latin-1").split("?")[0], self.offers())
        iri = self.base + path.lstrip("/")
        fmt = fmt or neg.choose(request.headers.get("accept"), self.offers())
        if fmt is None:
            return self.respond(request, text_answer(406, "available: " + ", ".join(
                f.media_type for f in self.offers())), extra={"Link": self.alternates(path, self.offers())})
        links = {"Link": self.alternates(path, self.offers(self.pages)), "Content-Location": path + fmt.suffix}
        if fmt is neg.HTML:
            if not self.pages:
                if not await self.pool.run("report_graph.server.description:known", iri=iri):
                    return self.respond(request, text_answer(404, f"no such resource: {iri}"))
                return self.respond(request, self.no_html(path))
            lang = _lang(request)
            return await self.cached(request, ("page", iri, lang), "report_graph.server.html:resource", HTML_VARY,
                                     links, base=self.base, iri=iri, lang=lang)
        return await self.cached(request, ("resource", iri, fmt.media_type), "report_graph.server.description:describe",
                                 extra=links, iri=iri, media_type=fmt.media_type, cap=self.result_cap,
                                 prefixes=TURTLE_PREFIXES)

    async def ontology(self, request: Request) -> Response:
        path, fmt = neg.by_suffix(request.url.path, neg.RESOURCE_FORMATS)
        fmt = fmt or neg.choose(request.headers.get("accept"), neg.RESOURCE_FORMATS)
        if path != "/" + files.ONTOLOGY or fmt is None:
            return self.respond(request, text_answer(404 if path != "/" + files.ONTOLOGY else 406,
                                                     f"available: /{files.ONTOLOGY}.ttl, .jsonld, .nt, .rdf"))
        if fmt is neg.HTML:  # no page of its own: its Turtle, which browsers show (the #Term stays)
            return RedirectResponse(f"/{files.ONTOLOGY}.ttl", 303, headers={"Vary": "Accept"})
        answer, tag = files.ontology(fmt)
        return self.static(request, answer, tag, {"Link": self.alternates(path, neg.RDF_FORMATS),
                                                  "Content-Location": path + fmt.suffix})

    async def context(self, request: Request) -> Response:
        return self.static(request, *files.context(), vary="")

    def static(self, request: Request, answer: Answer, tag: str, extra: dict[str, str] | None = None,
               vary: str = "Accept") -> Response:
        if matches(request.headers.get("if-none-match"), tag):
            return self.not_modified(tag, vary, extra)
        return self.respond(request, answer, tag, vary, extra)


def starlette_app(server: Server) -> Starlette:
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app):
        await server.pool.open()
        try:
            yield
        finally:
            server.pool.close()

    routes = [
        Route("/", server.home, methods=["GET", "HEAD"]),
        Route("/sparql", server.sparql, methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/sparql/", server.sparql, methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/query", server.catalogue, methods=["GET", "HEAD"]),
        Route("/query/{name}", server.question, methods=["GET", "HEAD"]),
        Route("/" + VOID_PATH, server.void, methods=["GET", "HEAD"]),
        Route("/" + VOID_PATH + "{suffix:path}", server.void, methods=["GET", "HEAD"]),
        Route("/download/{name:path}", server.download, methods=["GET", "HEAD"]),  # reports/X.trig too
        Route("/" + files.ONTOLOGY + "{suffix:path}", server.ontology, methods=["GET", "HEAD"]),
        Route("/" + files.CONTEXT, server.context, methods=["GET", "HEAD"]),
        Route("/{path:path}", server.resource, methods=["GET", "HEAD"]),
    ]
    cors = Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST"],
                      allow_headers=["Accept", "Content-Type", "If-None-Match", "Accept-Language"],
                      expose_headers=["ETag", "Link", "Content-Location", "Vary"], max_age=86400)
    app = Starlette(routes=routes, middleware=[cors], lifespan=lifespan)
    app.state.server = server
    return app
