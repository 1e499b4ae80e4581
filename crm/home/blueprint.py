"""The home blueprint: each role's home page and its to-do lists
(crm.home.views, crm.home.todo)."""

from flask import Blueprint

bp = Blueprint("home", __name__)
