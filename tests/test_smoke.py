from tests.conftest import sign_in


def test_dashboard_after_sign_in(client, world):
    response = sign_in(client, world.dpo)
    assert response.status_code == 302
    page = client.get("/")
    assert page.status_code == 200
    assert "Dashboard" in page.get_data(as_text=True)
