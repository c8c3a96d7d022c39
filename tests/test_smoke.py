def test_home_page_answers(client):
    response = client.get("/")
    assert response.status_code == 200


def test_footer_language_links_keep_the_page_query(client):
    page = client.get("/search?q=h%E1%BB%8Dc&kind=course&lang=vi").get_data(as_text=True)
    assert 'href="?q=h%E1%BB%8Dc&amp;kind=course&amp;lang=en"' in page
    assert 'href="?lang=km"' in client.get("/").get_data(as_text=True)
