class Click < ApplicationRecord
end
