from flask import Blueprint

bp = Blueprint("dpia", __name__)
