"""The RAG board (``/rag-board``): all open actions, filterable, sortable, with counts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import SessionDep
from api.pages.deps import StaffReader
from api.pages.render import page
from api.presenters.pagination import read_page
from api.presenters.rag_board import rag_board_page, read_filters

router = APIRouter(include_in_schema=False)


@router.get("/rag-board", response_class=HTMLResponse)
def rag_board(request: Request, session: SessionDep, _: StaffReader) -> HTMLResponse:
    filters = read_filters(request.query_params)
    context = rag_board_page(session, filters, page_no=read_page(request.query_params))
    return page(request, "rag_board/index.jinja", context)
