"""OCOP product groups and sets of Decision 148/QĐ-TTg (24 February 2023): 6 groups, 26 sets.

No package publishes this list, so it is kept here, in the order of the decision.
"""

GROUPS: list[tuple[int, str, str]] = [
    (1, "Thực phẩm", "Food"),
    (2, "Đồ uống", "Drinks"),
    (3, "Thảo dược", "Herbal products"),
    (4, "Thủ công mỹ nghệ", "Handicrafts"),
    (5, "Sinh vật cảnh", "Ornamental plants and animals"),
    (6, "Dịch vụ du lịch", "Tourism services"),
]

SETS: list[tuple[str, str, str]] = [
    ("1.1", "Rau, quả, hạt tươi", "Fresh vegetables, fruit and nuts"),
    ("1.2", "Thịt, trứng, sữa tươi", "Fresh meat, eggs and milk"),
    ("1.3", "Gạo, ngũ cốc", "Rice and cereals"),
    ("1.4", "Mật ong, nông sản thực phẩm khác", "Honey and other farm foods"),
    ("1.5", "Đồ ăn nhanh", "Convenience food"),
    ("1.6", "Chế biến từ gạo, ngũ cốc", "Processed rice and cereals"),
    ("1.7", "Chế biến từ rau, quả, hạt", "Processed vegetables, fruit and nuts"),
    ("1.8", "Chế biến từ thịt, trứng, sữa, cá, mật ong", "Processed meat, eggs, milk, fish, honey"),
    ("1.9", "Tương, nước mắm, gia vị dạng lỏng", "Sauces, fish sauce, liquid seasonings"),
    ("1.10", "Gia vị khác", "Other seasonings"),
    ("1.11", "Chè", "Tea"),
    ("1.12", "Trà từ thực vật khác", "Herbal teas"),
    ("1.13", "Cà phê, ca cao", "Coffee and cocoa"),
    ("2.1", "Rượu trắng", "White spirits"),
    ("2.2", "Đồ uống có cồn khác", "Other alcoholic drinks"),
    ("2.3", "Nước khoáng, nước uống tinh khiết", "Mineral and purified water"),
    ("2.4", "Đồ uống không cồn khác", "Other soft drinks"),
    ("3.1", "Thực phẩm chức năng, thuốc dược liệu", "Supplements and herbal medicine"),
    ("3.2", "Mỹ phẩm từ thảo dược", "Herbal cosmetics"),
    ("3.3", "Tinh dầu và thảo dược khác", "Essential oils and other herbs"),
    ("4.1", "Thủ công mỹ nghệ gia dụng, trang trí", "Household and decorative crafts"),
    ("4.2", "Vải, may mặc", "Textiles and clothing"),
    ("5.1", "Hoa", "Flowers"),
    ("5.2", "Cây cảnh", "Ornamental plants"),
    ("5.3", "Động vật cảnh", "Ornamental animals"),
    ("6.1", "Dịch vụ du lịch cộng đồng, du lịch sinh thái", "Community and eco-tourism"),
]


def group_number(set_code: str) -> int:
    """'1.10' → 1: the group is the part of the set code before the dot."""
    return int(set_code.split(".", 1)[0])
