// `ListView<T>`: a cheap, non-owning view of a list of arguments (tags, ids, centroids, span logs).
//
// It lets every send and format call accept a braced list at the call site
// (`{{"env", "prod"}, {"region", "us"}}`) as well as the containers applications already have: a
// `std::vector` or `std::array` of the element type, or of anything convertible to it (for tags,
// `std::pair<std::string, std::string>`; for ids, `std::string`), and node containers such as
// `std::map<std::string, std::string>` and `std::unordered_map`. Like `std::string_view`, it does not
// own what it shows: pass it straight to a call and do not keep it past the call's full expression.
//
// Thread-safety: a view is read-only; sharing one between threads is safe while the viewed data lives.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <type_traits>

namespace wavefront {

namespace detail {
// Whether std::data() works on a Container (contiguous storage).
template <class Container, class = void>
struct has_data : std::false_type {};
template <class Container>
struct has_data<Container, std::void_t<decltype(std::data(std::declval<const Container&>()))>>
    : std::true_type {};
}  // namespace detail

// How an element of a user's container becomes the view's element type. Specialise (or overload the
// conversion constructor of T) to teach ListView a new element type.
template <class View, class Element, class = void>
struct ListElementAdapter {
  static constexpr bool supported = std::is_constructible_v<View, const Element&>;
  static View get(const Element& element) { return View(element); }
};

template <class T>
class ListView {
 public:
  ListView() noexcept = default;

  ListView(std::initializer_list<T> items) noexcept  // NOLINT(google-explicit-constructor)
      : base_(items.begin()), size_(items.size()), get_(&get_same) {}

  ListView(const T* data, std::size_t size) noexcept : base_(data), size_(size), get_(&get_same) {}

  // Any contiguous container (vector, array, C array) whose elements convert to T.
  template <class Container,
            class Element = std::remove_cv_t<
                std::remove_reference_t<decltype(*std::data(std::declval<const Container&>()))>>,
            class = std::enable_if_t<!std::is_same_v<std::decay_t<Container>, ListView> &&
                                     ListElementAdapter<T, Element>::supported>>
  ListView(const Container& container) noexcept  // NOLINT(google-explicit-constructor)
      : base_(std::data(container)), size_(std::size(container)), get_(&get_converted<Element>) {}

  // A container without contiguous storage (std::map, std::unordered_map, std::list, std::set) whose
  // elements convert to T. Reading element i walks i steps from begin(): the send and format calls
  // read each element once, so a list of n elements costs n(n+1)/2 steps, nothing for the few tags a
  // point has. Prefer a vector for long lists.
  template <class Container,
            class Element = std::remove_cv_t<
                std::remove_reference_t<decltype(*std::begin(std::declval<const Container&>()))>>,
            class = std::enable_if_t<!std::is_same_v<std::decay_t<Container>, ListView> &&
                                     !detail::has_data<Container>::value &&
                                     ListElementAdapter<T, Element>::supported>,
            class = void>
  ListView(const Container& container) noexcept  // NOLINT(google-explicit-constructor)
      : base_(&container), size_(std::size(container)), get_(&get_walked<Container, Element>) {}

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  T operator[](std::size_t index) const { return get_(base_, index); }

  class iterator {
   public:
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using iterator_category = std::input_iterator_tag;
    using pointer = void;
    using reference = T;
    iterator(const ListView* view, std::size_t index) : view_(view), index_(index) {}
    T operator*() const { return (*view_)[index_]; }
    iterator& operator++() {
      ++index_;
      return *this;
    }
    bool operator==(const iterator& other) const { return index_ == other.index_; }
    bool operator!=(const iterator& other) const { return index_ != other.index_; }

   private:
    const ListView* view_;
    std::size_t index_;
  };
  iterator begin() const { return iterator(this, 0); }
  iterator end() const { return iterator(this, size_); }

 private:
  static T get_same(const void* base, std::size_t index) { return static_cast<const T*>(base)[index]; }
  template <class Element>
  static T get_converted(const void* base, std::size_t index) {
    return ListElementAdapter<T, Element>::get(static_cast<const Element*>(base)[index]);
  }

  template <class Container, class Element>
  static T get_walked(const void* base, std::size_t index) {
    const auto& container = *static_cast<const Container*>(base);
    auto element = std::begin(container);
    std::advance(element, static_cast<std::ptrdiff_t>(index));
    return ListElementAdapter<T, Element>::get(*element);
  }

  const void* base_ = nullptr;
  std::size_t size_ = 0;
  T (*get_)(const void*, std::size_t) = nullptr;
};

}  // namespace wavefront
