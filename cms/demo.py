from .services import school_home_page_ensure


def seed(*, people) -> None:
    page = school_home_page_ensure(school=people.school)
    if not page.intro:
        page.intro = (
            "<p>Chào mừng đến với trường học trực tuyến. Các lớp học trực tiếp, bài giảng, "
            "bài tập và điểm danh của trường đều ở đây.</p>"
        )
        page.save_revision().publish()
